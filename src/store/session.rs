//! A logged-in session: what `POST /login` gives one profile, a token for one
//! server and one email, with its expiry read from the token.

use base64::Engine as _;
use secrecy::{ExposeSecret, SecretString};
use std::fmt;
use time::OffsetDateTime;

/// A logged-in session of one profile.
#[derive(Clone)]
pub struct Session {
    /// The profile this session belongs to.
    pub profile: String,
    /// The server the token was issued by (the base URL, including `/api`).
    pub base_url: String,
    /// The email that logged in.
    pub email: String,
    /// The bearer token. Never printed, logged or shown.
    pub token: SecretString,
    /// When the token expires, if it is a JWT with an `exp` claim.
    pub expires_at: Option<OffsetDateTime>,
}

impl Session {
    /// A session for `token`, its expiry read from the token when it is a JWT.
    pub fn new(
        profile: impl Into<String>,
        base_url: impl Into<String>,
        email: impl Into<String>,
        token: SecretString,
    ) -> Self {
        let expires_at = jwt_expiry(token.expose_secret());
        Session {
            profile: profile.into(),
            base_url: base_url.into(),
            email: email.into(),
            token,
            expires_at,
        }
    }

    /// Whether the token has expired at `now`. A token whose expiry is unknown never has.
    pub fn is_expired(&self, now: OffsetDateTime) -> bool {
        self.expires_at.is_some_and(|at| at <= now)
    }

    /// Whether the token was issued by the server at `base_url` (a trailing slash does not matter).
    pub fn is_for(&self, base_url: &str) -> bool {
        self.base_url.trim_end_matches('/') == base_url.trim_end_matches('/')
    }

    /// Whether the session can be used for `base_url` at `now`: it is that server's and has not expired.
    pub fn is_usable_for(&self, base_url: &str, now: OffsetDateTime) -> bool {
        self.is_for(base_url) && !self.is_expired(now)
    }

    /// The time left at `now` (negative once expired), if the expiry is known.
    pub fn time_left(&self, now: OffsetDateTime) -> Option<time::Duration> {
        self.expires_at.map(|at| at - now)
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("profile", &self.profile)
            .field("base_url", &self.base_url)
            .field("email", &self.email)
            .field("token", &"***")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// The `exp` claim of a JWT, read without checking the signature.
///
/// Anything that is not a three-part JWT with a JSON payload and a numeric
/// `exp` (such as the guides' truncated `eyJ0eXAi...eyJmcmV...`) gives `None`:
/// the token is still used, its expiry is just unknown.
pub fn jwt_expiry(token: &str) -> Option<OffsetDateTime> {
    let mut parts = token.trim().split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || payload.is_empty() {
        return None;
    }
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD_INDIFFERENT
        .decode(payload)
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let exp = claims.get("exp")?;
    let seconds = match exp.as_i64() {
        Some(s) => s,
        None => {
            let f = exp.as_f64()?;
            if !f.is_finite() {
                return None;
            }
            f.floor() as i64
        }
    };
    OffsetDateTime::from_unix_timestamp(seconds).ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    /// A JWT carrying `payload`, with a signature nobody checks.
    pub(crate) fn jwt(payload: &str) -> String {
        let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD.encode(payload);
        format!("{header}.{payload}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk")
    }

    /// A session of `profile` at a fixed server and email.
    pub(crate) fn session(profile: &str, token: &str) -> Session {
        Session::new(
            profile,
            "https://api.example.com/api",
            "ana@example.com",
            SecretString::from(token),
        )
    }

    #[test]
    fn jwt_expiry_reads_exp_from_a_real_jwt() {
        let token = jwt(r#"{"sub":"ana@example.com","exp":1893456000,"iat":1700000000}"#);
        let exp = jwt_expiry(&token);
        assert_eq!(exp, Some(time::macros::datetime!(2030-01-01 00:00 UTC)));
    }

    #[test]
    fn jwt_expiry_accepts_a_fractional_exp() {
        let token = jwt(r#"{"exp":1893456000.75}"#);
        assert_eq!(jwt_expiry(&token), Some(time::macros::datetime!(2030-01-01 00:00 UTC)));
    }

    #[test]
    fn the_guides_truncated_token_has_no_known_expiry() {
        assert_eq!(jwt_expiry("eyJ0eXAi...eyJmcmV..."), None);
    }

    #[test]
    fn garbage_tokens_have_no_known_expiry() {
        for token in [
            "",
            "abc",
            "a.b.c",
            "a..c",
            "a.b.c.d",
            "x.!!!!.y",
            &jwt("not json"),
            &jwt(r#"{"exp":"soon"}"#),
            &jwt(r#"{"sub":"x"}"#),
        ] {
            assert_eq!(jwt_expiry(token), None, "{token}");
        }
    }

    #[test]
    fn is_expired_compares_with_now() {
        let s = session("default", &jwt(r#"{"exp":1000}"#));
        assert!(!s.is_expired(OffsetDateTime::from_unix_timestamp(999).unwrap()));
        assert!(s.is_expired(OffsetDateTime::from_unix_timestamp(1000).unwrap()));
        let unknown = session("default", "eyJ0eXAi...eyJmcmV...");
        assert!(!unknown.is_expired(OffsetDateTime::now_utc()));
        assert_eq!(unknown.time_left(OffsetDateTime::now_utc()), None);
    }

    #[test]
    fn a_session_is_usable_only_for_its_own_server_before_it_expires() {
        let s = session("default", &jwt(r#"{"exp":1000}"#));
        let before = OffsetDateTime::from_unix_timestamp(999).unwrap();
        assert!(s.is_usable_for("https://api.example.com/api/", before));
        assert!(s.is_usable_for("https://api.example.com/api", before));
        assert!(!s.is_usable_for("https://other.example.com/api", before));
        assert!(!s.is_usable_for(
            "https://api.example.com/api",
            OffsetDateTime::from_unix_timestamp(1000).unwrap()
        ));
    }

    #[test]
    fn debug_never_prints_the_token() {
        let s = session("prod", "super-secret-token-value");
        let shown = format!("{s:?}");
        assert!(!shown.contains("super-secret-token-value"), "{shown}");
        assert!(shown.contains("ana@example.com"));
    }
}
