//! The scoring itself, pure: each day's numbers from the three forecasters (the baseline, the
//! model's plan, the plan as the manager left it) against what happened, summed into WAPE and
//! bias per measure. Kept apart from loading so a hand-made day checks the arithmetic.
use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use super::types::{Accuracy, DayAccuracy, DayCovers, Forecasters, Score, Waste};
use crate::backtest::Errors;

/// One line's numbers from the three forecasters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Values {
    pub baseline: f64,
    /// The model's number, when the day's plan is the model's.
    pub model: Option<f64>,
    /// The manager's override where set, otherwise what the plan served.
    pub manager: f64,
    pub overridden: bool,
}

/// A prep list line: what to prepare of an item.
#[derive(Debug, Clone, PartialEq)]
pub struct PrepLine {
    pub prep_item_id: i64,
    /// Stock the plan counted on.
    pub on_hand: f64,
    /// The item's batch size: errors are added up in batches, so kilograms and litres add up.
    pub batch: f64,
    /// The open days the quantity was meant to last (the item's shelf life).
    pub lasts: Vec<NaiveDate>,
    /// What those days would have used beyond what they did, had no dish made with the item sold
    /// out: the dishes' hidden demand (estimated as the forecast estimates it) times the recipe.
    pub unmet: f64,
    pub values: Values,
}

/// A staffing plan line: a role's headcount in a block.
#[derive(Debug, Clone, PartialEq)]
pub struct HeadcountLine {
    pub block: String,
    pub role_id: i64,
    pub values: Values,
}

/// A dish's portions on a day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dish {
    pub forecast: f64,
    pub sold: f64,
    /// It ran out: what sold is not what was wanted, and the day is left out of its score.
    pub sold_out: bool,
}

/// What the forecasters said about one service day.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Day {
    pub date: NaiveDate,
    pub prep_plan_id: Option<i64>,
    pub staffing_plan_id: Option<i64>,
    /// Covers forecast by the baseline and served, when the day could be forecast.
    pub covers: Option<(f64, f64)>,
    pub dishes: Vec<Dish>,
    pub prep: Vec<PrepLine>,
    pub headcounts: Vec<HeadcountLine>,
}

/// What was recorded as having happened.
#[derive(Debug, Clone, Default)]
pub struct Truth {
    /// `(day, prep item) -> (prepped, used, wasted)`, in order (sums come out the same every time).
    pub prep: BTreeMap<(NaiveDate, i64), (f64, f64, f64)>,
    /// `(day, block, role) -> staff on`.
    pub staff: HashMap<(NaiveDate, String, i64), f64>,
}

impl Truth {
    /// What a prep line should have said: what its days used beyond the stock it counted on;
    /// `None` while one of its days has nothing recorded for the item.
    fn prep_needed(&self, line: &PrepLine) -> Option<f64> {
        let used: Option<f64> =
            line.lasts.iter().map(|d| self.prep.get(&(*d, line.prep_item_id)).map(|(_, used, _)| *used)).sum();
        used.map(|used| (used + line.unmet - line.on_hand).max(0.0))
    }
}

/// Running errors of the three forecasters.
#[derive(Debug, Clone, Copy, Default)]
struct Three {
    baseline: Errors,
    model: Errors,
    manager: Errors,
}

impl Three {
    fn add(&mut self, values: Values, actual: f64, scale: f64) {
        self.baseline.add(values.baseline / scale, actual / scale);
        if let Some(model) = values.model {
            self.model.add(model / scale, actual / scale);
        }
        self.manager.add(values.manager / scale, actual / scale);
    }

    fn baseline_only(&mut self, forecast: f64, actual: f64) {
        self.baseline.add(forecast, actual);
    }

    fn merge(&mut self, other: &Three) {
        for (into, from) in [
            (&mut self.baseline, &other.baseline),
            (&mut self.model, &other.model),
            (&mut self.manager, &other.manager),
        ] {
            into.merge(from);
        }
    }

    fn shown(&self) -> Forecasters {
        Forecasters { baseline: score(&self.baseline), model: score(&self.model), manager: score(&self.manager) }
    }
}

fn round(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0 + 0.0
}

fn score(errors: &Errors) -> Option<Score> {
    (errors.points > 0).then(|| Score {
        wape: errors.wape().map(round),
        bias: errors.bias().map(round),
        points: errors.points as u32,
        forecast: round(errors.forecast),
        actual: round(errors.actual),
    })
}

/// Wasted and prepped, in batches.
#[derive(Debug, Clone, Copy, Default)]
struct WasteSums {
    prepped: f64,
    wasted: f64,
    lines: u32,
}

impl WasteSums {
    fn shown(&self) -> Waste {
        Waste {
            share: (self.prepped > 0.0).then(|| round(self.wasted / self.prepped)),
            prepped_batches: round(self.prepped),
            wasted_batches: round(self.wasted),
            lines: self.lines,
        }
    }
}

/// Scores `days` against `truth`. `batches` gives each prep item's batch size for the waste.
pub fn score_days(
    location_id: i64,
    (from, to): (NaiveDate, NaiveDate),
    days: &[Day],
    truth: &Truth,
    batches: &HashMap<i64, f64>,
) -> Accuracy {
    let (mut covers, mut dishes, mut prep, mut headcount) =
        (Three::default(), Three::default(), Three::default(), Three::default());
    let mut waste = WasteSums::default();
    let (mut censored, mut unscored_prep, mut short_prep, mut overridden) = (0, 0, 0, 0);
    let mut model_days = 0;
    let mut by_day = Vec::new();
    for day in days {
        let (mut day_prep, mut day_heads) = (Three::default(), Three::default());
        let mut day_overridden = 0;
        if let Some((forecast, actual)) = day.covers {
            covers.baseline_only(forecast, actual);
        }
        for dish in &day.dishes {
            if dish.sold_out {
                censored += 1;
            } else {
                dishes.baseline_only(dish.forecast, dish.sold);
            }
        }
        for line in &day.prep {
            day_overridden += u32::from(line.values.overridden);
            short_prep += u32::from(line.unmet > 0.0);
            match truth.prep_needed(line) {
                Some(needed) => day_prep.add(line.values, needed, if line.batch > 0.0 { line.batch } else { 1.0 }),
                None => unscored_prep += 1,
            }
        }
        for line in &day.headcounts {
            day_overridden += u32::from(line.values.overridden);
            if let Some(on) = truth.staff.get(&(day.date, line.block.clone(), line.role_id)) {
                day_heads.add(line.values, *on, 1.0);
            }
        }
        let mut day_waste = WasteSums::default();
        for ((_, item), (prepped, _, wasted)) in truth.prep.range((day.date, i64::MIN)..=(day.date, i64::MAX)) {
            let batch = batches.get(item).copied().filter(|b| *b > 0.0).unwrap_or(1.0);
            day_waste.prepped += prepped / batch;
            day_waste.wasted += wasted / batch;
            day_waste.lines += 1;
        }
        model_days += u32::from(day_prep.model.points + day_heads.model.points > 0);
        waste.prepped += day_waste.prepped;
        waste.wasted += day_waste.wasted;
        waste.lines += day_waste.lines;
        prep.merge(&day_prep);
        headcount.merge(&day_heads);
        overridden += day_overridden;
        by_day.push(DayAccuracy {
            date: day.date,
            prep_plan_id: day.prep_plan_id,
            staffing_plan_id: day.staffing_plan_id,
            covers: day.covers.map(|(forecast, actual)| DayCovers { forecast: round(forecast), actual }),
            prep: day_prep.shown(),
            headcount: day_heads.shown(),
            overridden_lines: day_overridden,
            waste_share: day_waste.shown().share,
        });
    }
    let mut notes = vec![
        "covers and dishes are forecast by the baseline alone (as of midnight before each day); the model and \
         the manager set prep quantities and headcounts"
            .to_owned(),
        "prep quantities are scored in batches of each item against what the days the quantity was meant to \
         last used, beyond the stock the plan counted on"
            .to_owned(),
        "manager: the plan as the kitchen was told, each override in place of Sous's number; the model's and the \
         baseline's scores never include an override"
            .to_owned(),
    ];
    if censored > 0 {
        notes.push(format!(
            "{censored} dish-day(s) left out of the dishes' score: the dish sold out, so its demand is unknown"
        ));
    }
    if unscored_prep > 0 {
        notes.push(format!(
            "{unscored_prep} prep line(s) not scored: a day they were meant to last has no actuals recorded for the item"
        ));
    }
    if short_prep > 0 {
        notes.push(format!(
            "{short_prep} prep line(s) count, beyond what was used, what their dishes' sell-outs hid: a dish made with \
             the item sold out on a day it was meant to last (estimated from the guests who came after)"
        ));
    }
    if prep.model.points == 0 && headcount.model.points == 0 {
        notes.push(
            "no plan of the model could be scored on these days: only the baseline and the manager are".to_owned(),
        );
    } else if (model_days as usize) < by_day.len() {
        notes.push(format!(
            "the model is scored on the {model_days} day(s) its plan was the kitchen's, the baseline and the manager on \
             all {}: compare them day by day in by_day",
            by_day.len()
        ));
    }
    Accuracy {
        location_id,
        from,
        to,
        days: by_day.len() as u32,
        covers: covers.shown(),
        dishes: dishes.shown(),
        prep: prep.shown(),
        headcount: headcount.shown(),
        waste: waste.shown(),
        overridden_lines: overridden,
        notes,
        by_day,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(baseline: f64, model: Option<f64>, manager: Option<f64>) -> Values {
        let served = model.unwrap_or(baseline);
        Values { baseline, model, manager: manager.unwrap_or(served), overridden: manager.is_some() }
    }

    #[test]
    fn a_hand_made_day_has_the_figures_worked_out_by_hand() {
        let date: NaiveDate = "2026-03-18".parse().unwrap();
        let next = date.succ_opt().unwrap();
        let day = Day {
            date,
            prep_plan_id: Some(7),
            staffing_plan_id: None,
            covers: Some((90.0, 100.0)),
            dishes: vec![
                Dish { forecast: 12.0, sold: 10.0, sold_out: false },
                Dish { forecast: 5.0, sold: 8.0, sold_out: true },
            ],
            prep: vec![
                // Fries, batches of 5 kg: 4 kg on hand, 20 kg used: 16 needed (3.2 batches).
                PrepLine {
                    prep_item_id: 1,
                    on_hand: 4.0,
                    batch: 5.0,
                    lasts: vec![date],
                    unmet: 0.0,
                    values: values(20.0, Some(15.0), Some(25.0)),
                },
                // Stock, batches of 10 l, lasting two days: 12 + 6 used, none on hand.
                PrepLine {
                    prep_item_id: 2,
                    on_hand: 0.0,
                    batch: 10.0,
                    lasts: vec![date, next],
                    unmet: 0.0,
                    values: values(20.0, Some(20.0), None),
                },
                // Lasting into a day with nothing recorded: not scored.
                PrepLine {
                    prep_item_id: 3,
                    on_hand: 0.0,
                    batch: 1.0,
                    lasts: vec![next],
                    unmet: 0.0,
                    values: values(1.0, None, None),
                },
            ],
            headcounts: vec![HeadcountLine {
                block: "19:00".into(),
                role_id: 9,
                values: values(3.0, Some(4.0), Some(5.0)),
            }],
        };
        let mut truth = Truth::default();
        truth.prep.insert((date, 1), (25.0, 20.0, 5.0));
        truth.prep.insert((date, 2), (20.0, 12.0, 0.0));
        truth.prep.insert((next, 2), (0.0, 6.0, 2.0));
        truth.staff.insert((date, "19:00".into(), 9), 4.0);
        let batches = HashMap::from([(1, 5.0), (2, 10.0)]);
        let a = score_days(1, (date, next), &[day], &truth, &batches);

        let covers = a.covers.baseline.expect("covers");
        assert_eq!((covers.wape, covers.bias, covers.points), (Some(0.1), Some(-0.1), 1));
        let dishes = a.dishes.baseline.expect("dishes");
        assert_eq!((dishes.wape, dishes.bias, dishes.points), (Some(0.2), Some(0.2), 1), "the sold-out dish left out");
        // Needed: fries 3.2 batches, stock 1.8 batches.
        // Baseline 4 and 2 batches: |0.8| + |0.2| = 1.0 of 5.0; over by 1.0.
        let prep = a.prep.baseline.expect("baseline");
        assert_eq!((prep.wape, prep.bias, prep.points), (Some(0.2), Some(0.2), 2));
        // Model 3 and 2 batches: 0.2 + 0.2 = 0.4; bias (−0.2 + 0.2) = 0.
        let model = a.prep.model.expect("model");
        assert_eq!((model.wape, model.bias), (Some(0.08), Some(0.0)));
        // Manager 5 batches of fries (the override) and the model's 2 of stock: 1.8 + 0.2.
        let manager = a.prep.manager.expect("manager");
        assert_eq!((manager.wape, manager.bias), (Some(0.4), Some(0.4)));
        let heads = &a.headcount;
        let [b, m, g] = [&heads.baseline, &heads.model, &heads.manager].map(|s| s.as_ref().map(|s| s.wape));
        assert_eq!((b, m, g), (Some(Some(0.25)), Some(Some(0.0)), Some(Some(0.25))));
        // Waste of the day: 5 kg fries (1 batch) of 25 (5 batches); none of the 20 l stock (2).
        assert_eq!((a.waste.share, a.waste.lines), (Some(round(1.0 / 7.0)), 2));
        assert_eq!(a.overridden_lines, 2);
        assert!(a.notes.iter().any(|n| n.starts_with("1 prep line(s) not scored")), "{:?}", a.notes);
        assert!(a.notes.iter().any(|n| n.starts_with("1 dish-day(s)")), "{:?}", a.notes);
    }

    #[test]
    fn a_prep_line_whose_dish_sold_out_needed_what_was_used_and_what_was_not_served() {
        let date: NaiveDate = "2026-03-18".parse().unwrap();
        let line = PrepLine {
            prep_item_id: 4,
            on_hand: 1.0,
            batch: 1.0,
            lasts: vec![date],
            unmet: 2.5,
            values: values(9.0, None, None),
        };
        let mut truth = Truth::default();
        truth.prep.insert((date, 4), (6.0, 6.0, 0.0));
        assert_eq!(truth.prep_needed(&line), Some(7.5), "6 used + 2.5 not served − 1 on hand");
        let day = Day { date, prep: vec![line], ..Day::default() };
        let a = score_days(1, (date, date.succ_opt().unwrap()), &[day], &truth, &HashMap::new());
        assert!(a.notes.iter().any(|n| n.starts_with("1 prep line(s) count, beyond what was used")), "{:?}", a.notes);
    }
}
