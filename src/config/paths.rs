//! Where trackline keeps its files, per the OS conventions (`directories`).

use std::path::{Path, PathBuf};

use super::ConfigError;
use crate::store::{ProfileMemory, TokenStore};

/// Every directory and file trackline reads or writes, outside the downloads themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// `config.toml` in the OS config dir (`~/.config/trackline/config.toml` on Linux).
    pub config_file: PathBuf,
    /// The OS data dir: sessions, recent processes, remembered emails.
    pub data_dir: PathBuf,
    /// The OS cache dir.
    pub cache_dir: PathBuf,
    /// `trackline.log`, in the OS state dir where there is one, else the cache dir.
    pub log_file: PathBuf,
    /// The default download dir: the OS Downloads folder (else `~/Downloads`) + `/Trackline`.
    pub download_dir: PathBuf,
    /// The home directory `~` stands for in the config file, if known.
    pub home_dir: Option<PathBuf>,
}

impl Paths {
    /// The paths of the current user, per the OS (on Linux the `XDG_*` variables apply).
    pub fn from_os() -> Result<Self, ConfigError> {
        let project = directories::ProjectDirs::from("", "", "trackline").ok_or(ConfigError::NoHomeDir)?;
        let user = directories::UserDirs::new();
        let home_dir = user.as_ref().map(|u| u.home_dir().to_path_buf());
        let downloads = match (&user, &home_dir) {
            (Some(u), _) if u.download_dir().is_some() => u.download_dir().map(Path::to_path_buf),
            (_, Some(home)) => Some(home.join("Downloads")),
            _ => None,
        }
        .ok_or(ConfigError::NoHomeDir)?;
        let cache_dir = project.cache_dir().to_path_buf();
        let log_dir = project.state_dir().unwrap_or(&cache_dir);
        Ok(Paths {
            config_file: project.config_dir().join("config.toml"),
            data_dir: project.data_dir().to_path_buf(),
            log_file: log_dir.join("trackline.log"),
            cache_dir,
            download_dir: downloads.join("Trackline"),
            home_dir,
        })
    }

    /// Paths all under `root`, for tests and for `trackline demo`'s throwaway
    /// profile: `config/config.toml`, `data/`, `cache/`, `cache/trackline.log`,
    /// `downloads/Trackline`, and `home/` as `~`.
    pub fn under(root: &Path) -> Self {
        Paths {
            config_file: root.join("config").join("config.toml"),
            data_dir: root.join("data"),
            cache_dir: root.join("cache"),
            log_file: root.join("cache").join("trackline.log"),
            download_dir: root.join("downloads").join("Trackline"),
            home_dir: Some(root.join("home")),
        }
    }

    /// The directory of the session files, one per profile.
    pub fn sessions_dir(&self) -> PathBuf {
        self.data_dir.join("sessions")
    }

    /// The file where earlier versions kept the processes the TUI watches
    /// (for every profile); it is imported once into a profile's index.
    pub fn watched_file(&self) -> PathBuf {
        self.data_dir.join("watched.json")
    }

    /// The file of the recent processes shown under the search box.
    pub fn recent_file(&self) -> PathBuf {
        self.data_dir.join("recent.json")
    }

    /// The file of each profile's last email and server.
    pub fn profiles_file(&self) -> PathBuf {
        self.data_dir.join("profiles.json")
    }

    /// The session store under [`Paths::sessions_dir`].
    pub fn token_store(&self) -> TokenStore {
        TokenStore::new(self.sessions_dir())
    }

    /// The profile memory in [`Paths::profiles_file`].
    pub fn profile_memory(&self) -> ProfileMemory {
        ProfileMemory::new(self.profiles_file())
    }

    /// `raw` with a leading `~` (alone, or before a separator) replaced by the home dir.
    pub fn expand_tilde(&self, raw: &str) -> PathBuf {
        expand_tilde(raw, self.home_dir.as_deref())
    }
}

fn expand_tilde(raw: &str, home: Option<&Path>) -> PathBuf {
    let Some(home) = home else {
        return PathBuf::from(raw);
    };
    if raw == "~" {
        return home.to_path_buf();
    }
    let rest = raw
        .strip_prefix("~/")
        .or_else(|| if cfg!(windows) { raw.strip_prefix("~\\") } else { None });
    match rest {
        Some(rest) => home.join(rest),
        None => PathBuf::from(raw),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn tilde_expands_to_the_home_dir() {
        let home = Path::new("/home/ana");
        assert_eq!(expand_tilde("~", Some(home)), PathBuf::from("/home/ana"));
        assert_eq!(
            expand_tilde("~/Invoices/prod", Some(home)),
            PathBuf::from("/home/ana/Invoices/prod")
        );
        assert_eq!(expand_tilde("~bob/x", Some(home)), PathBuf::from("~bob/x"));
        assert_eq!(expand_tilde("/abs/~/x", Some(home)), PathBuf::from("/abs/~/x"));
        assert_eq!(expand_tilde("rel", Some(home)), PathBuf::from("rel"));
        assert_eq!(expand_tilde("~/x", None), PathBuf::from("~/x"));
    }

    #[test]
    fn test_paths_stay_under_their_root() {
        let root = Path::new("/tmp/root");
        let paths = Paths::under(root);
        for p in [
            &paths.config_file,
            &paths.data_dir,
            &paths.cache_dir,
            &paths.log_file,
            &paths.download_dir,
        ] {
            assert!(p.starts_with(root), "{}", p.display());
        }
        assert!(paths.sessions_dir().starts_with(&paths.data_dir));
        assert_eq!(paths.log_file.file_name().unwrap(), "trackline.log");
        assert!(paths.download_dir.ends_with("Trackline"));
    }

    #[test]
    fn os_paths_follow_the_conventions() {
        let Ok(paths) = Paths::from_os() else { return };
        assert_eq!(paths.config_file.file_name().unwrap(), "config.toml");
        assert_eq!(paths.log_file.file_name().unwrap(), "trackline.log");
        assert!(paths.download_dir.ends_with("Trackline"));
    }
}
