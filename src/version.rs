//! Versions and Terraform version constraints, reduced to the range of versions they admit.

use std::fmt;

/// A `major.minor.patch` version; missing parts are zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
}

impl Version {
    pub const fn new(major: u64, minor: u64, patch: u64) -> Self {
        Version {
            major,
            minor,
            patch,
        }
    }

    /// Parses `1`, `1.2` or `1.2.3`, with an optional leading `v`, and (when `allow_suffix`)
    /// a `-suffix` such as `-cuda` or `-rc.1`.
    pub fn parse(text: &str, allow_suffix: bool) -> Option<(Version, usize)> {
        let t = text.strip_prefix('v').unwrap_or(text);
        let (core, suffix) = match t.find(['-', '+']) {
            Some(i) if allow_suffix => (&t[..i], &t[i..]),
            Some(_) => return None,
            None => (t, ""),
        };
        if suffix.len() == 1 {
            return None;
        }
        let mut parts = [0u64; 3];
        let mut count = 0;
        for part in core.split('.') {
            if count == 3 || part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            parts[count] = part.parse().ok()?;
            count += 1;
        }
        Some((Version::new(parts[0], parts[1], parts[2]), count))
    }

    /// A full `X.Y.Z` version (or `vX.Y.Z`, with an optional `-suffix`).
    pub fn parse_full(text: &str) -> Option<Version> {
        match Version::parse(text, true) {
            Some((v, 3)) => Some(v),
            _ => None,
        }
    }

    fn bump_patch(self) -> Version {
        Version::new(self.major, self.minor, self.patch + 1)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// The versions a constraint admits: `low <= v < high` (`high: None` is unbounded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub low: Version,
    pub high: Option<Version>,
}

impl Range {
    pub const fn new(low: Version, high: Option<Version>) -> Self {
        Range { low, high }
    }

    pub fn is_empty(&self) -> bool {
        self.high.is_some_and(|h| h <= self.low)
    }

    /// Whether every version in `self` is also in `other`.
    pub fn within(&self, other: &Range) -> bool {
        self.low >= other.low
            && match (self.high, other.high) {
                (_, None) => true,
                (None, Some(_)) => false,
                (Some(a), Some(b)) => a <= b,
            }
    }

    fn intersect(self, other: Range) -> Range {
        let high = match (self.high, other.high) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Range {
            low: self.low.max(other.low),
            high,
        }
    }
}

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.high {
            Some(h) => write!(f, ">= {}, < {}", self.low, h),
            None => write!(f, ">= {}", self.low),
        }
    }
}

/// Parses a Terraform version constraint (`~> 4.65`, `>= 2.7, < 3.0`, `= 3.0.2`) into the
/// range it admits. `!=` only removes single versions, so it does not change which syntax
/// fits every admitted version, and is accepted but ignored here.
pub fn parse_constraint(text: &str) -> Result<Range, String> {
    let mut range = Range::new(Version::new(0, 0, 0), None);
    if text.trim().is_empty() {
        return Err("the constraint is empty".into());
    }
    for clause in text.split(',') {
        let clause = clause.trim();
        let (op, rest) = ["~>", ">=", "<=", "!=", ">", "<", "="]
            .iter()
            .find_map(|op| clause.strip_prefix(op).map(|r| (*op, r.trim())))
            .unwrap_or(("=", clause));
        let Some((v, parts)) = Version::parse(rest, false) else {
            return Err(format!("`{clause}` is not a version constraint"));
        };
        let clause_range = match op {
            "=" => Range::new(v, Some(v.bump_patch())),
            ">=" => Range::new(v, None),
            ">" => Range::new(v.bump_patch(), None),
            "<" => Range::new(Version::new(0, 0, 0), Some(v)),
            "<=" => Range::new(Version::new(0, 0, 0), Some(v.bump_patch())),
            "!=" => continue,
            _ => {
                // `~>` lets only the rightmost given part grow.
                let high = match parts {
                    1 | 2 => Version::new(v.major + 1, 0, 0),
                    _ => Version::new(v.major, v.minor + 1, 0),
                };
                Range::new(v, Some(high))
            }
        };
        range = range.intersect(clause_range);
    }
    if range.is_empty() {
        return Err(format!("`{text}` admits no version"));
    }
    Ok(range)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(text: &str) -> Range {
        parse_constraint(text).unwrap()
    }

    #[test]
    fn pessimistic_constraints() {
        assert_eq!(
            r("~> 4.65"),
            Range::new(Version::new(4, 65, 0), Some(Version::new(5, 0, 0)))
        );
        assert_eq!(
            r("~> 2.17.1"),
            Range::new(Version::new(2, 17, 1), Some(Version::new(2, 18, 0)))
        );
        assert_eq!(
            r(">= 2.7, < 3.0"),
            Range::new(Version::new(2, 7, 0), Some(Version::new(3, 0, 0)))
        );
        assert_eq!(r(">= 2.0").high, None);
        assert!(parse_constraint(">= 3.0, < 2.0").is_err());
        assert!(parse_constraint("latest").is_err());
    }

    #[test]
    fn parses_image_tags() {
        assert_eq!(Version::parse_full("v0.6.33"), Some(Version::new(0, 6, 33)));
        assert_eq!(
            Version::parse_full("v0.6.33-cuda"),
            Some(Version::new(0, 6, 33))
        );
        assert_eq!(Version::parse_full("main"), None);
        assert_eq!(Version::parse_full("7.2"), None);
    }
}
