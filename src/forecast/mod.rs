//! The baseline forecast, in pure Rust: expected covers, orders, covers per hour and portions
//! per menu item for one service day, with a P10–P90 range. It grounds the model's answer,
//! replaces it when it fails, and is the plan itself when no model is configured. The live
//! plans and the backtest call the same [`forecast`] on the same kind of [`Window`].
//!
//! The day is split in two:
//! - covers **not on the books** at the cutoff (walk-ins and bookings made later): a robust,
//!   recency-weighted level of all recent days, scaled to the weekday (see [`level`]);
//! - covers **on the books**: each booking counted after the share of its lead time and
//!   channel that did not come on past days (see [`bookings`]).
//!
//! Portions per item follow the recent mix per cover (see [`items`]); the range adds the
//! errors the level made on recent days to the chance of each booking not coming (see
//! [`range`]).
pub mod bookings;
mod hours;
pub mod items;
pub mod level;
pub mod range;
pub mod window;

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};

pub use bookings::DEFAULT_NO_SHOW_RATE;
pub use range::Range;
pub use window::{AsOf, Booking, Sales, Window, cutoff};

use bookings::{Attrition, Book};
use level::Point;

/// Tuning of the baseline, chosen on the demo's history before its last 8 weeks (see
/// `docs/forecasting.md`).
#[derive(Debug, Clone, Copy)]
pub struct Params {
    /// Same-weekday weeks looked at.
    pub weeks: u32,
    /// Fewer same-weekday days with sales than this, and there is no forecast.
    pub min_days: usize,
    /// Weight kept per week back in same-weekday averages (hour profile, orders per cover).
    pub alpha: f64,
    /// Weight kept per day back in the level of covers not on the books.
    pub beta: f64,
    /// Days further than this many robust standard deviations from the median are damped.
    pub huber: f64,
    /// Days the item mix is measured over.
    pub mix_days: i64,
    /// Weight kept per day back in the item mix.
    pub mix_decay: f64,
    /// Weight of a same-weekday day in the item mix, against 1 for other days.
    pub mix_same_weekday: f64,
    /// A dish whose share on the target's weekday is this many standard errors from its usual
    /// share is measured on that weekday alone (a weekly special).
    pub weekday_z: f64,
    /// Days of bookings the no-show rates are measured on.
    pub attrition_days: i64,
    /// Same-weekday days with sales needed for a range.
    pub range_min_days: usize,
    /// Recent days whose errors the range is measured on.
    pub spread_days: i64,
    /// Prior standard error of the level, as a share of it (worth 5 days of errors).
    pub spread_prior: f64,
    /// Calibration of the range's width, checked by the backtest's coverage.
    pub range_scale: f64,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            weeks: 12,
            min_days: 3,
            alpha: 0.1,
            beta: 0.15,
            huber: 2.0,
            mix_days: 28,
            mix_decay: 0.05,
            mix_same_weekday: 2.0,
            weekday_z: 4.0,
            attrition_days: 90,
            range_min_days: 6,
            spread_days: 56,
            spread_prior: 0.1,
            range_scale: 1.15,
        }
    }
}

impl Params {
    /// Days of order history before the service day a forecast reads.
    pub fn history_days(&self) -> i64 {
        (7 * i64::from(self.weeks)).max(self.mix_days)
    }

    /// How the forecast is made, in one sentence.
    pub fn describe(&self) -> String {
        format!(
            "covers not on the books at midnight before the day: the level of all days of the last {} weeks (each \
             day back keeps {:.0}% of the weight), scaled by the weekday's share, holidays and events damped; plus \
             the covers on the books, each booking discounted by the no-show and late-cancellation rate of its lead \
             time and channel (last {} days); dishes: portions per cover over the last {} days; range: P10–P90 from \
             the level's errors on the last {} days and the chance of each booking not coming",
            self.weeks,
            (1.0 - self.beta) * 100.0,
            self.attrition_days,
            self.mix_days,
            self.spread_days
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct HourForecast {
    pub hour: i32,
    pub covers: f64,
    pub orders: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    pub date: NaiveDate,
    pub expected_covers: f64,
    pub expected_orders: f64,
    /// Same-weekday weighted level of all covers, bookings included (for reference).
    pub history_covers: f64,
    /// Covers expected that were not on the books: walk-ins and bookings made after the cutoff.
    pub walk_in_covers: f64,
    /// Covers expected from the bookings on the books (after no-shows), plus bookings still
    /// expected before the cutoff when forecasting days ahead.
    pub reserved_covers: f64,
    /// Covers on the books for the day (booked, confirmed, seated), before discount.
    pub booked_covers: f64,
    /// Share of the booked covers expected not to come (covers-weighted over the bookings).
    pub no_show_rate: f64,
    /// Same-weekday days with sales the forecast used.
    pub history_days: usize,
    pub by_hour: Vec<HourForecast>,
    /// Covers booked (booked or confirmed) per hour, before discount.
    pub booked_by_hour: BTreeMap<i32, f64>,
    /// `menu item -> expected portions`.
    pub items: BTreeMap<i64, f64>,
    /// P10–P90 of covers and portions, when there is history enough to measure the scatter.
    pub range: Option<Range>,
    /// Where each number came from, in sentences.
    pub rationale: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("only {found} earlier {weekday}s with sales; at least {needed} are needed")]
pub struct InsufficientHistory {
    pub found: usize,
    pub needed: usize,
    pub weekday: String,
}

fn same_weekday(a: NaiveDate, b: NaiveDate) -> bool {
    a.weekday() == b.weekday()
}

/// The forecast of `date` from `window`, knowing what `as_of` allows.
pub fn forecast(
    date: NaiveDate,
    window: &Window,
    as_of: AsOf,
    params: &Params,
) -> Result<Forecast, InsufficientHistory> {
    let from = date - Duration::days(7 * i64::from(params.weeks));
    let past: Vec<(NaiveDate, Sales)> = window.days_with_sales(from, date).collect();
    let same: Vec<(NaiveDate, Sales)> = past.iter().copied().filter(|(d, _)| same_weekday(*d, date)).collect();
    let weekday = format!("{}", date.format("%A"));
    if same.len() < params.min_days {
        return Err(InsufficientHistory { found: same.len(), needed: params.min_days, weekday });
    }
    let mut rationale = Vec::new();

    // Covers not on the books at the cutoff.
    let unbooked: Vec<Point> =
        past.iter().map(|(d, _)| Point { date: *d, value: window.unbooked_covers(*d) }).collect();
    let index = level::weekday_index(&unbooked, params.huber);
    let share = index.get(&date.weekday().num_days_from_monday()).copied();
    let walk_in_covers = match (level::all_days(&unbooked, date, &index, params.beta, params.huber), share) {
        (Some(level), Some(share)) => {
            rationale.push(format!(
                "{level:.1} covers not on the books (walk-ins, later bookings): the level of the {} days with sales \
                 since {from}, the latest weighing most (each day back keeps {:.0}% of the weight), scaled to a \
                 {weekday} ({share:.2}× an average day)",
                unbooked.len(),
                (1.0 - params.beta) * 100.0,
            ));
            level
        }
        // No seated guests at all (a takeout kitchen): the same weekday's level, zero.
        _ => {
            let same_unbooked: Vec<Point> = unbooked.iter().copied().filter(|p| same_weekday(p.date, date)).collect();
            let level = level::same_weekday(&same_unbooked, date, params.alpha, params.huber);
            rationale
                .push(format!("{level:.1} covers not on the books: the level of {} earlier {weekday}s", same.len()));
            level
        }
    };

    // Covers on the books, and those still to be booked when forecasting days ahead.
    let attrition = Attrition::observe(window, date - Duration::days(params.attrition_days), date);
    let cutoff_at = cutoff(date, window.tz);
    let (instant, status_known) = match as_of {
        AsOf::Now(now) => (now.min(cutoff_at), true),
        AsOf::Cutoff => (cutoff_at, false),
        AsOf::Before(at) => (at.min(cutoff_at), false),
    };
    let book = Book::of(window, date, instant, status_known, &attrition);
    let pickup = if instant < cutoff_at {
        let days: Vec<NaiveDate> = same.iter().map(|(d, _)| *d).collect();
        bookings::usual_pickup(window, &days, date, cutoff_at - instant, params)
    } else {
        0.0
    };
    let booked_covers = book.pending() + book.shown_covers;
    let no_show_rate = book.applied_rate(attrition.overall_rate());
    rationale.push(book_note(&book, &attrition));
    if pickup > 0.0 {
        rationale.push(format!("{pickup:.1} covers usually booked between now and the night before"));
    }
    let reserved_covers = book.expected() + pickup;
    let expected_covers = walk_in_covers + reserved_covers;

    // Orders follow covers; the level of all covers is kept for reference.
    let same_points =
        |f: fn(&Sales) -> f64| -> Vec<Point> { same.iter().map(|(d, s)| Point { date: *d, value: f(s) }).collect() };
    let history_covers = level::same_weekday(&same_points(|s| s.covers), date, params.alpha, params.huber);
    let history_orders = level::same_weekday(&same_points(|s| s.orders), date, params.alpha, params.huber);
    let expected_orders =
        if history_covers > 0.0 { history_orders * expected_covers / history_covers } else { history_orders };

    let by_hour = hours::by_hour(
        window,
        date,
        &same,
        params,
        hours::Parts { walk_in: walk_in_covers, pickup, orders: expected_orders, book: &book },
    );

    let mix = items::mix(window, date, params);
    let served = match mix.base {
        Some(items::Base::Orders) => expected_orders,
        _ => expected_covers,
    };
    let items: BTreeMap<i64, f64> = mix.rates.iter().map(|(item, rate)| (*item, rate * served)).collect();
    rationale.push(mix_note(&mix, params, &weekday));

    let errors = level::recent_errors(&unbooked, date, &index, params);
    let range = (same.len() >= params.range_min_days).then(|| {
        range::Range::new(range::Spread {
            expected_covers,
            walk_in_covers,
            errors: &errors,
            prior: params.spread_prior,
            book_variance: book.variance,
            pickup,
            certain: book.shown_covers,
            scale: params.range_scale,
            items: &items,
            overdispersion: mix.overdispersion,
        })
    });
    match &range {
        Some(r) => rationale.push(format!(
            "P10–P90 {:.0}–{:.0} covers: the errors of this level on the last {} days with sales, and the chance \
             of each booking not coming",
            r.covers_low,
            r.covers_high,
            errors.len()
        )),
        None => rationale.push(format!("no range: fewer than {} earlier {weekday}s", params.range_min_days)),
    }

    Ok(Forecast {
        date,
        expected_covers,
        expected_orders,
        history_covers,
        walk_in_covers,
        reserved_covers,
        booked_covers,
        no_show_rate,
        history_days: same.len(),
        by_hour,
        booked_by_hour: book.pending_by_hour.clone(),
        items,
        range,
        rationale,
    })
}

fn book_note(book: &Book, attrition: &Attrition) -> String {
    let booked = book.pending() + book.shown_covers;
    if booked <= 0.0 {
        return "no covers on the books".to_owned();
    }
    let mut cells: Vec<String> = book
        .cells
        .iter()
        .map(|((lead, channel), (covers, rate))| {
            format!("{covers:.0} by {channel} {} at {:.0}%", lead.label(), rate * 100.0)
        })
        .collect();
    if book.shown_covers > 0.0 {
        cells.push(format!("{:.0} already seated", book.shown_covers));
    }
    format!(
        "{:.1} of the {booked:.0} covers on the books expected after no-shows and late cancellations (rates by lead \
         time and channel over {:.0} past bookings: {})",
        book.expected(),
        attrition.observed(),
        cells.join(", ")
    )
}

fn mix_note(mix: &items::Mix, params: &Params, weekday: &str) -> String {
    let mut note = format!(
        "portions per cover of each dish over {} days with sales in the last {} ({weekday}s count {}×)",
        mix.days, params.mix_days, params.mix_same_weekday
    );
    if !mix.new_items.is_empty() {
        note.push_str(&format!("; {} new dish(es) measured since their first sale", mix.new_items.len()));
    }
    if !mix.weekday_items.is_empty() {
        note.push_str(&format!(
            "; {} dish(es) selling differently on {weekday}s measured on {weekday}s alone",
            mix.weekday_items.len()
        ));
    }
    if !mix.off_menu.is_empty() {
        note.push_str(&format!("; {} dish(es) no longer selling left out", mix.off_menu.len()));
    }
    if mix.censored > 0 {
        note.push_str(&format!(
            "; on {} dish-day(s) the dish sold out (86'd), so it sold less than was wanted: its demand those days is \
             estimated from the share of the day's guests who came before it ran out",
            mix.censored
        ));
    }
    note
}

#[cfg(test)]
mod tests;
