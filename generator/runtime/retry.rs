//! When to retry, and how long to wait first.
//!
//! - Connection failures (nothing reached the server): every method.
//! - 429 Too Many Requests, and 503 with `Retry-After`: every method, because the server says
//!   it did not act on the request.
//! - Timeouts, other transport errors, 408, 500, 502, 503 and 504: idempotent methods only
//!   (GET, HEAD, OPTIONS, TRACE, PUT, DELETE, and QUERY, which the IETF's definition of the
//!   method makes safe and idempotent), since a POST, a PATCH or any other method (an OpenAPI
//!   3.2 `additionalOperations` method such as LINK) may already have acted.
//! - Any other status is final.
//!
//! The wait is `Retry-After` when the server sends one (seconds or an HTTP date) and it is at
//! most [`MAX_RETRY_AFTER`]; a longer `Retry-After` ends the retries, so the caller sees the
//! error at once instead of a hidden long sleep. Otherwise it is exponential backoff with
//! jitter: a random time between half and all of `0.5 s × 2^(attempt-1)`, capped at 8 s.

use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;
use reqwest::Method;

const BASE_DELAY: Duration = Duration::from_millis(500);
const MAX_DELAY: Duration = Duration::from_secs(8);

/// The exponential backoff of a client: `base × 2^(attempt-1)`, at most `max`, then jittered
/// (`ClientBuilder::retry_backoff`; zero for instant retries in tests).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Backoff {
    pub(crate) base: Duration,
    pub(crate) max: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            base: BASE_DELAY,
            max: MAX_DELAY,
        }
    }
}
/// The longest `Retry-After` that is waited for.
pub(crate) const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE | Method::PUT | Method::DELETE
    ) || method.as_str() == "QUERY"
}

/// Whether a status is worth retrying at all (used by `Error::is_retryable`).
pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

/// The wait before retrying a response with this status, or `None` when it is final.
pub(crate) fn delay_after_status(
    status: u16,
    headers: &HeaderMap,
    idempotent: bool,
    attempt: u32,
    backoff_of: Backoff,
) -> Option<Duration> {
    let retry_after = headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, SystemTime::now()));
    let allowed = match status {
        429 => true,
        503 if retry_after.is_some() => true,
        _ => is_retryable_status(status) && idempotent,
    };
    if !allowed {
        return None;
    }
    match retry_after {
        Some(wait) if wait > MAX_RETRY_AFTER => None,
        Some(wait) => Some(wait),
        None => Some(backoff(attempt, backoff_of)),
    }
}

/// The wait before retrying after an attempt that got no usable response, or `None` when it
/// is final. `connect`: nothing reached the server. `transient`: a broken connection or a
/// timeout, which a later attempt may not meet; a redirect the client refused, a limit it
/// reached or a request it could not build would only happen again.
pub(crate) fn delay_after_error(
    connect: bool,
    transient: bool,
    idempotent: bool,
    attempt: u32,
    backoff_of: Backoff,
) -> Option<Duration> {
    if connect || (transient && idempotent) {
        Some(backoff(attempt, backoff_of))
    } else {
        None
    }
}

/// Exponential backoff with jitter for the given attempt (1 for the first retry's wait).
pub(crate) fn backoff(attempt: u32, of: Backoff) -> Duration {
    let exp = of.base.saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
    let ceiling = exp.min(of.max);
    // A random point in [ceiling / 2, ceiling]: spreads clients that failed together.
    let half = ceiling / 2;
    let jitter = (random_u64() % 1_000) as u32;
    half + half.mul_f64(f64::from(jitter) / 1_000.0)
}

/// A random number from the standard library's per-process random hasher keys, so that
/// jitter needs no random-number dependency.
pub(crate) fn random_u64() -> u64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    hasher.finish()
}

/// Parses `Retry-After`: delay seconds, or an HTTP date (IMF-fixdate, as RFC 9110 requires
/// senders to use) measured from `now`. A date in the past means no wait. A wait too long to
/// represent (more seconds than `u64` holds, a year past 9999) is [`Duration::MAX`]: longer
/// than any limit, so it ends retrying as every too-long wait does.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Only digits: the one way to fail is a number too large for `u64`.
        return Some(value.parse::<u64>().map_or(Duration::MAX, Duration::from_secs));
    }
    let at = match parse_http_date(value)? {
        HttpDate::At(at) => at,
        HttpDate::Beyond => return Some(Duration::MAX),
    };
    let now = now.duration_since(UNIX_EPOCH).ok()?.as_secs();
    Some(Duration::from_secs(at.saturating_sub(now)))
}

/// A parsed HTTP date.
#[derive(Debug, PartialEq)]
enum HttpDate {
    /// Seconds since the Unix epoch.
    At(u64),
    /// A well-formed date after the year 9999, which IMF-fixdate's four-digit year cannot
    /// mean: read as "later than any wait".
    Beyond,
}

/// `Sun, 06 Nov 1994 08:49:37 GMT` → seconds since the Unix epoch. All arithmetic is checked:
/// the date comes from the server.
fn parse_http_date(value: &str) -> Option<HttpDate> {
    let rest = value.split_once(", ")?.1;
    let mut parts = rest.split(' ');
    let day: u64 = parts.next()?.parse().ok()?;
    let month = match parts.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year_text = parts.next()?;
    if year_text.is_empty() || !year_text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut clock = parts.next()?.split(':');
    let hour: u64 = clock.next()?.parse().ok()?;
    let minute: u64 = clock.next()?.parse().ok()?;
    let second: u64 = clock.next()?.parse().ok()?;
    if parts.next()? != "GMT" || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60
    {
        return None;
    }
    // Any number of digits is well formed; past four, the date is beyond any wait.
    let Some(year) = year_text.parse::<i64>().ok().filter(|y| *y <= 9999) else {
        return Some(HttpDate::Beyond);
    };
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let days = u64::try_from(days).ok()?;
    let seconds = days
        .checked_mul(86_400)?
        .checked_add(hour * 3_600 + minute * 60 + second)?;
    Some(HttpDate::At(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(parse_retry_after("5", now), Some(Duration::from_secs(5)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
    }

    /// A server's `Retry-After` must never panic or wrap: a date in the year 10^14 (which
    /// overflowed `days * 86_400`) and a number past `u64` are both "too long".
    #[test]
    fn retry_after_beyond_any_wait_is_too_long() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_777);
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 100000000000000 08:49:37 GMT", now),
            Some(Duration::MAX)
        );
        assert_eq!(
            parse_retry_after("Fri, 31 Dec 99999999999999999999999 23:59:59 GMT", now),
            Some(Duration::MAX)
        );
        assert_eq!(
            parse_retry_after("99999999999999999999", now),
            Some(Duration::MAX)
        );
        assert_eq!(
            parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now),
            Some(Duration::from_secs(253_402_300_799 - 784_111_777))
        );
        // Too long ends retrying, whatever the status and method.
        let mut headers = HeaderMap::new();
        for value in ["99999999999999999999", "Sun, 06 Nov 100000000000000 08:49:37 GMT"] {
            headers.insert(reqwest::header::RETRY_AFTER, value.parse().unwrap());
            assert_eq!(delay_after_status(429, &headers, true, 1, Backoff::default()), None, "{value}");
            assert_eq!(delay_after_status(503, &headers, true, 1, Backoff::default()), None, "{value}");
        }
    }

    #[test]
    fn backoff_grows_with_jitter_and_a_cap() {
        for attempt in 1..=10 {
            let ceiling = (BASE_DELAY * (1 << (attempt - 1).min(16))).min(MAX_DELAY);
            let d = backoff(attempt, Backoff::default());
            assert!(d >= ceiling / 2 && d <= ceiling, "attempt {attempt}: {d:?}");
        }
    }

    /// A zero backoff (`retry_backoff(Duration::ZERO, Duration::ZERO)`, for tests) waits
    /// nothing, whatever the attempt; a `Retry-After` is still waited as sent.
    #[test]
    fn a_zero_backoff_retries_at_once() {
        let zero = Backoff {
            base: Duration::ZERO,
            max: Duration::ZERO,
        };
        for attempt in 1..=20 {
            assert_eq!(backoff(attempt, zero), Duration::ZERO);
            assert_eq!(delay_after_error(true, true, true, attempt, zero), Some(Duration::ZERO));
            assert_eq!(delay_after_status(503, &HeaderMap::new(), true, attempt, zero), Some(Duration::ZERO));
        }
        let mut after = HeaderMap::new();
        after.insert(reqwest::header::RETRY_AFTER, "2".parse().unwrap());
        assert_eq!(delay_after_status(503, &after, true, 1, zero), Some(Duration::from_secs(2)));
        // A custom backoff grows from its base to its cap.
        let custom = Backoff {
            base: Duration::from_millis(10),
            max: Duration::from_millis(40),
        };
        assert!(backoff(1, custom) <= Duration::from_millis(10));
        assert!(backoff(9, custom) >= Duration::from_millis(20) && backoff(9, custom) <= Duration::from_millis(40));
    }

    #[test]
    fn query_is_idempotent_and_other_methods_are_not() {
        let method = |name: &str| Method::from_bytes(name.as_bytes()).unwrap();
        for name in ["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE", "QUERY"] {
            assert!(is_idempotent(&method(name)), "{name}");
        }
        for name in ["POST", "PATCH", "LINK", "UNLINK", "PURGE", "query"] {
            assert!(!is_idempotent(&method(name)), "{name}");
        }
    }

    #[test]
    fn posts_are_retried_only_when_the_server_did_not_act() {
        let empty = HeaderMap::new();
        let mut after = HeaderMap::new();
        after.insert(reqwest::header::RETRY_AFTER, "1".parse().unwrap());
        assert!(delay_after_status(429, &empty, false, 1, Backoff::default()).is_some());
        assert!(delay_after_status(503, &after, false, 1, Backoff::default()).is_some());
        assert!(delay_after_status(503, &empty, false, 1, Backoff::default()).is_none());
        assert!(delay_after_status(500, &empty, false, 1, Backoff::default()).is_none());
        assert!(delay_after_status(500, &empty, true, 1, Backoff::default()).is_some());
        assert!(delay_after_status(404, &empty, true, 1, Backoff::default()).is_none());
        let mut long = HeaderMap::new();
        long.insert(reqwest::header::RETRY_AFTER, "3600".parse().unwrap());
        assert!(delay_after_status(429, &long, true, 1, Backoff::default()).is_none());
    }
}
