//! The last email and server each profile logged in with, for the login
//! dialog and for resolving a profile's settings.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use super::StoreError;
use super::atomic;

/// What the login dialog remembers of one profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remembered {
    /// The last email that logged in.
    pub email: String,
    /// The server it logged in to.
    pub base_url: String,
}

/// The last email and server of each profile, in one file (`<data dir>/profiles.json`).
#[derive(Debug, Clone)]
pub struct ProfileMemory {
    path: PathBuf,
}

impl ProfileMemory {
    /// A memory kept in the file `path`.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        ProfileMemory { path: path.into() }
    }

    /// What is remembered of `profile`. A missing or damaged file remembers nothing.
    pub fn get(&self, profile: &str) -> Option<Remembered> {
        self.read().remove(profile)
    }

    /// The last email `profile` logged in with.
    pub fn last_email(&self, profile: &str) -> Option<String> {
        self.get(profile).map(|r| r.email)
    }

    /// The profiles remembered, sorted.
    pub fn profiles(&self) -> Vec<String> {
        self.read().into_keys().collect()
    }

    /// Remembers that `profile` logged in as `email` to `base_url`.
    pub fn remember(&self, profile: &str, email: &str, base_url: &str) -> Result<(), StoreError> {
        let mut all = self.read();
        all.insert(
            profile.to_owned(),
            Remembered {
                email: email.to_owned(),
                base_url: base_url.to_owned(),
            },
        );
        let json = serde_json::to_vec_pretty(&all).map_err(|e| StoreError::Write {
            path: self.path.clone(),
            source: e.into(),
        })?;
        atomic::write(&self.path, &json, atomic::Access::Private).map_err(|source| StoreError::Write {
            path: self.path.clone(),
            source,
        })
    }

    /// Everything remembered, by profile. A missing or damaged file remembers nothing.
    pub fn all(&self) -> BTreeMap<String, Remembered> {
        self.read()
    }

    fn read(&self) -> BTreeMap<String, Remembered> {
        fs::read(&self.path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn profile_memory_remembers_the_last_email_and_server() {
        let dir = tempfile::tempdir().unwrap();
        let memory = ProfileMemory::new(dir.path().join("data/profiles.json"));
        assert_eq!(memory.last_email("prod"), None);
        memory.remember("prod", "ana@example.com", "https://a/api").unwrap();
        memory.remember("staging", "bo@example.com", "https://b/api").unwrap();
        memory.remember("prod", "cy@example.com", "https://c/api").unwrap();
        assert_eq!(memory.last_email("prod").as_deref(), Some("cy@example.com"));
        assert_eq!(
            memory.get("staging"),
            Some(Remembered {
                email: "bo@example.com".into(),
                base_url: "https://b/api".into()
            })
        );
        assert_eq!(memory.profiles(), ["prod", "staging"]);
    }

    #[test]
    fn a_damaged_profile_memory_remembers_nothing_and_is_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("profiles.json");
        fs::write(&path, "garbage").unwrap();
        let memory = ProfileMemory::new(&path);
        assert_eq!(memory.last_email("default"), None);
        memory.remember("default", "ana@example.com", "https://a/api").unwrap();
        assert_eq!(memory.last_email("default").as_deref(), Some("ana@example.com"));
    }
}
