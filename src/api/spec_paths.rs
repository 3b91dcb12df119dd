//! The paths of the published OpenAPI document, matched against the paths of requests
//! (`{param}` stands for any one segment).

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathPattern(Vec<String>);

impl PathPattern {
    pub fn new(pattern: &str) -> Self {
        Self(segments(pattern).map(str::to_owned).collect())
    }

    pub fn matches(&self, path: &str) -> bool {
        let mut asked = segments(path);
        self.0.iter().all(|p| asked.next().is_some_and(|a| p.starts_with('{') || p == a)) && asked.next().is_none()
    }
}

fn segments(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::PathPattern;

    #[test]
    fn a_parameter_stands_for_exactly_one_segment() {
        let pattern = PathPattern::new("/api/v1/locations/{id}/staffing");
        assert!(pattern.matches("/api/v1/locations/12/staffing"));
        assert!(pattern.matches("/api/v1/locations/12/staffing/"));
        assert!(!pattern.matches("/api/v1/locations/staffing"));
        assert!(!pattern.matches("/api/v1/locations/12/staffing/generate"));
        assert!(!pattern.matches("/api/v1/locations/12/prep-list"));
    }
}
