//! Forecast error measures. WAPE (weighted absolute percentage error) = Σ|forecast − actual|
//! / Σ actual: unlike MAPE it stays defined when a dish sold nothing on a day, and a big day
//! weighs more than a quiet one. Bias = Σ(forecast − actual) / Σ actual: above 0, too much was
//! forecast. MAE = the mean absolute error, in covers or portions.

/// Running sums of one method's errors over a set of points (days, hours or dish-days).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Errors {
    pub absolute: f64,
    /// Σ(forecast − actual).
    pub signed: f64,
    pub forecast: f64,
    pub actual: f64,
    pub points: usize,
}

impl Errors {
    pub fn add(&mut self, forecast: f64, actual: f64) {
        self.absolute += (forecast - actual).abs();
        self.signed += forecast - actual;
        self.forecast += forecast;
        self.actual += actual;
        self.points += 1;
    }

    /// Adds `other`'s points to these.
    pub fn merge(&mut self, other: &Errors) {
        self.absolute += other.absolute;
        self.signed += other.signed;
        self.forecast += other.forecast;
        self.actual += other.actual;
        self.points += other.points;
    }

    /// `None` when nothing was sold over all the points.
    pub fn bias(&self) -> Option<f64> {
        (self.actual > 0.0).then(|| self.signed / self.actual)
    }

    /// `None` when nothing was sold over all the points (WAPE is undefined).
    pub fn wape(&self) -> Option<f64> {
        (self.actual > 0.0).then(|| self.absolute / self.actual)
    }

    pub fn mae(&self) -> Option<f64> {
        (self.points > 0).then(|| self.absolute / self.points as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wape_weighs_errors_by_the_volume_sold() {
        let mut e = Errors::default();
        for (f, a) in [(90.0, 100.0), (12.0, 10.0), (3.0, 0.0)] {
            e.add(f, a);
        }
        assert!((e.wape().unwrap() - 15.0 / 110.0).abs() < 1e-12);
        assert!((e.bias().unwrap() - (-10.0 + 2.0 + 3.0) / 110.0).abs() < 1e-12, "over and under cancel out");
        assert!((e.mae().unwrap() - 5.0).abs() < 1e-12);
        assert_eq!(e.points, 3);
    }

    #[test]
    fn a_dish_that_sold_nothing_counts_its_error_without_dividing_by_zero() {
        let mut e = Errors::default();
        e.add(2.0, 0.0);
        assert_eq!(e.wape(), None, "nothing sold at all: undefined, not infinite");
        e.add(4.0, 4.0);
        assert!((e.wape().unwrap() - 0.5).abs() < 1e-12, "the 2 portions forecast for nothing count");
    }

    #[test]
    fn no_points_no_figures() {
        assert_eq!((Errors::default().wape(), Errors::default().mae()), (None, None));
    }
}
