//! The command line: every command, flag and environment variable of SPEC.md.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Keyboard-driven terminal browser for the Trackline API of the Code Contract platform.
///
/// Run without a command to open the TUI; `trackline demo` opens it against a
/// built-in sandbox with sample data.
#[derive(Debug, Parser)]
#[command(name = "trackline", version = crate::cli::LONG_VERSION, about, long_about = None)]
#[command(
    after_help = "Examples:\n  trackline demo\n  trackline login --email ana@example.com\n  trackline process --id 12345 --json\n  trackline download 98765 -o ~/Invoices"
)]
pub struct Cli {
    /// Options that every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command; none opens the TUI.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options that every command takes, each with an environment variable.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// The API's base URL, `/api` included.
    #[arg(long, env = "TRACKLINE_BASE_URL", global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// The profile: a base URL, an email and its session.
    #[arg(long, env = "TRACKLINE_PROFILE", global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// Where downloads go (default: the Downloads folder + /Trackline).
    #[arg(long, env = "TRACKLINE_DOWNLOAD_DIR", global = true, value_name = "DIR")]
    pub download_dir: Option<PathBuf>,
    /// The config file (default: config.toml in the OS config dir).
    #[arg(long, env = "TRACKLINE_CONFIG", global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Allow plain http:// to hosts other than loopback.
    #[arg(long, global = true)]
    pub allow_insecure_http: bool,
    /// A PEM file of certificate authorities to trust besides the system's (SSL_CERT_FILE is added too).
    #[arg(long, env = "TRACKLINE_CA_CERT", global = true, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,
    /// The proxy for every request, e.g. http://user:password@proxy:3128 ("" for none); beats HTTPS_PROXY, HTTP_PROXY and ALL_PROXY.
    #[arg(long, global = true, value_name = "URL")]
    pub proxy: Option<String>,
    /// Log level for the log file (error, warn, info, debug, trace, or a RUST_LOG filter).
    #[arg(long, env = "RUST_LOG", global = true, value_name = "LEVEL")]
    pub log_level: Option<String>,
    /// No colours in the TUI (as when NO_COLOR is set): selection and state show as bold, reverse and symbols.
    #[arg(long, global = true)]
    pub no_color: bool,
    /// The language of the words shown: en or es (beats TRACKLINE_LANG, config `lang` and the locale).
    #[arg(long, global = true, value_name = "LANG", value_parser = parse_lang)]
    pub lang: Option<crate::i18n::Lang>,
}

/// `--lang`: a language trackline speaks, else a usage error (exit 2).
fn parse_lang(value: &str) -> Result<crate::i18n::Lang, String> {
    crate::i18n::Lang::parse(value)
        .ok_or_else(|| format!("{value:?} is not a language trackline speaks; use en (English) or es (español)"))
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the TUI against a built-in sandbox server with sample data.
    #[command(after_help = "Example:\n  trackline demo    (then press Enter to log in as the demo user)")]
    Demo,
    /// Log in and store the session for this profile.
    #[command(
        after_help = "Examples:\n  trackline login --email ana@example.com\n  echo \"$PASSWORD\" | trackline login --email ana@example.com --password-stdin"
    )]
    Login {
        /// The email (default: the one remembered for this profile, or TRACKLINE_EMAIL).
        #[arg(long, env = "TRACKLINE_EMAIL", value_name = "EMAIL")]
        email: Option<String>,
        /// Read the password from standard input (first line) instead of prompting.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Delete the stored session.
    #[command(after_help = "Example:\n  trackline logout --all")]
    Logout {
        /// Log out of every profile.
        #[arg(long)]
        all: bool,
    },
    /// Who is logged in, where, through which proxy, when the session expires, and where the log is.
    #[command(after_help = "Examples:\n  trackline status\n  trackline --profile prod status")]
    Status,
    /// The profiles and their login state.
    #[command(after_help = "Example:\n  trackline profiles")]
    Profiles,
    /// Look a process up by id or name and print it.
    #[command(
        after_help = "Examples:\n  trackline process --id 12345\n  trackline process --name \"Odoo Billing Process\" --json"
    )]
    Process(ProcessArgs),
    /// Download attachments by id, or every document of a process.
    #[command(
        after_help = "Examples:\n  trackline download 98765\n  trackline download 98765 --output invoice.pdf\n  trackline download --process 12345 --all -o ~/Invoices"
    )]
    Download(DownloadArgs),
    /// Download every document of every listed process.
    #[command(after_help = "Example:\n  trackline export --ids-from ids.txt -o ~/Export --jobs 8")]
    Export(ExportArgs),
    /// Summarise a document: an e-invoice's totals and checks, a PDF, a picture, an archive, text.
    #[command(
        after_help = "Examples:\n  trackline inspect 98766\n  trackline inspect 98766 --json\n  trackline inspect --file invoice.xml"
    )]
    Inspect(InspectArgs),
    /// Watch processes: their status now, then every change.
    #[command(
        after_help = "Examples:\n  trackline watch 12345 12347\n  trackline watch 12347 --until Completed --interval 10\n  trackline watch --ids-from ids.txt --interval 300 --json >> statuses.jsonl"
    )]
    Watch(WatchArgs),
    /// Search the processes and documents seen before (works offline).
    #[command(
        after_help = "Examples:\n  trackline search \"odo biling\"\n  trackline search invoice_001 --json --limit 5"
    )]
    Search(SearchArgs),
    /// Look processes up to fill the local index (nothing is downloaded), or forget it.
    #[command(after_help = "Examples:\n  trackline index --ids-from ids.txt --jobs 8\n  trackline index --clear")]
    Index(IndexArgs),
    /// The status changes seen for a process, oldest first.
    #[command(after_help = "Examples:\n  trackline history 12345\n  trackline history 12345 --json")]
    History(HistoryArgs),
    /// Run the sandbox server with sample data.
    #[cfg(feature = "sandbox")]
    #[command(
        after_help = "Example:\n  trackline sandbox --listen 127.0.0.1:8080\n  trackline --base-url http://127.0.0.1:8080/api login --email demo@trackline.local"
    )]
    Sandbox(crate::sandbox::SandboxArgs),
    /// Show or create the config file.
    #[command(
        subcommand,
        after_help = "Examples:\n  trackline config path\n  trackline config init && $EDITOR \"$(trackline config path)\"\n  trackline --profile prod config show"
    )]
    Config(ConfigCommand),
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  trackline completions bash > ~/.local/share/bash-completion/completions/trackline\n  trackline completions zsh > ~/.zfunc/_trackline\n  trackline completions fish > ~/.config/fish/completions/trackline.fish\n  trackline completions powershell >> $PROFILE"
    )]
    Completions {
        /// The shell.
        shell: Shell,
    },
    /// Print the man page (roff).
    #[command(after_help = "Example:\n  trackline man | man -l -")]
    Man,
}

/// `trackline process`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("query").required(true).args(["id", "name"])))]
pub struct ProcessArgs {
    /// The process id.
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
    /// The process name.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Print JSON with every field the server sent.
    #[arg(long)]
    pub json: bool,
}

/// `trackline download`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["attachment_ids", "process"])))]
pub struct DownloadArgs {
    /// The attachments (a document's doc_id).
    #[arg(value_name = "ATTACHMENT_ID", conflicts_with = "process")]
    pub attachment_ids: Vec<String>,
    /// Download the documents of this process instead.
    #[arg(long, value_name = "ID")]
    pub process: Option<String>,
    /// With --process: every document.
    #[arg(long, requires = "process", conflicts_with = "doc_type")]
    pub all: bool,
    /// With --process: only documents of this type.
    #[arg(long = "type", value_name = "TYPE", requires = "process")]
    pub doc_type: Option<String>,
    /// The folder to save into (default: the download dir).
    #[arg(short = 'o', long = "output-dir", value_name = "DIR", conflicts_with = "output")]
    pub output_dir: Option<PathBuf>,
    /// Save one attachment as exactly this file (never overwritten).
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Open each file once it is saved.
    #[arg(long)]
    pub open: bool,
    /// One JSON object per line per file: attachment_id, path, bytes, sha256
    /// (and "skipped": true for a copy saved before).
    #[arg(long)]
    pub json: bool,
    /// Save a new copy even when one saved before is still there unchanged.
    #[arg(long)]
    pub force: bool,
}

/// `trackline inspect`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["attachment_id", "file"])))]
pub struct InspectArgs {
    /// The attachment (a document's doc_id); its saved copy when there is one, else fetched into the cache.
    #[arg(value_name = "ATTACHMENT_ID", conflicts_with = "file")]
    pub attachment_id: Option<String>,
    /// A file on disk instead.
    #[arg(long, value_name = "PATH")]
    pub file: Option<PathBuf>,
    /// Print one JSON object: kind, media_type, bytes, sha256, warnings, invoice, pdf, image, archive.
    #[arg(long)]
    pub json: bool,
}

/// `trackline export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// A file of process ids, one per line, or a CSV with a process_id column.
    #[arg(long, value_name = "FILE")]
    pub ids_from: PathBuf,
    /// The folder to export into (default: the download dir).
    #[arg(short = 'o', long = "output-dir", value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    /// Downloads at once.
    #[arg(long, default_value_t = 4, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,
}

/// `trackline watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The processes to watch; with neither these nor --ids-from, the profile's watched set (the TUI's `w`).
    #[arg(value_name = "PROCESS_ID")]
    pub process_ids: Vec<String>,
    /// Also watch every process of this file: one id a line, or a CSV with a process_id column.
    #[arg(long, value_name = "FILE")]
    pub ids_from: Option<PathBuf>,
    /// Seconds between two checks of each process (at least 1).
    #[arg(long, value_name = "SECS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    pub interval: u64,
    /// One JSON object per line: process_id, process_name, status, previous, at.
    #[arg(long)]
    pub json: bool,
    /// Exit 0 once every watched process has this status (case does not matter).
    #[arg(long, value_name = "STATUS")]
    pub until: Option<String>,
    /// Exit 0 after N rounds (every process checked N times).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,
}

/// `trackline search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words of a process id, name or additional data, or of a document name; typos are tolerated.
    #[arg(value_name = "QUERY", required = true, num_args = 1..)]
    pub query: Vec<String>,
    /// One JSON object per line, best first: kind, process_id, process_name, doc_id, doc_name, status, score, last_seen.
    #[arg(long)]
    pub json: bool,
    /// The most results shown.
    #[arg(long, default_value_t = 20, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub limit: u32,
}

/// `trackline index`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("work").required(true).args(["ids_from", "clear"])))]
pub struct IndexArgs {
    /// Look up every process of this file (as `export` reads it: one id a line, or a CSV with a process_id column).
    #[arg(long, value_name = "FILE", conflicts_with = "clear")]
    pub ids_from: Option<PathBuf>,
    /// Lookups at once.
    #[arg(long, default_value_t = 4, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,
    /// Forget this profile's index: every process, document, status change and saved file it remembers.
    #[arg(long)]
    pub clear: bool,
}

/// `trackline history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The process id.
    #[arg(value_name = "PROCESS_ID")]
    pub process_id: String,
    /// One JSON object per line, oldest first: at, status.
    #[arg(long)]
    pub json: bool,
}

/// `trackline config …`.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print where the config file is (works even when the file has a mistake).
    #[command(after_help = "Example:\n  trackline config path")]
    Path,
    /// Print the effective settings and where each came from (default, config file, environment, command line).
    #[command(
        after_help = "Examples:\n  trackline config show\n  TRACKLINE_PROFILE=prod trackline --download-dir /tmp/x config show"
    )]
    Show,
    /// Write a commented config template (never over an existing file).
    #[command(after_help = "Examples:\n  trackline config init\n  trackline --config ./trackline.toml config init")]
    Init,
}

/// Shells for `trackline completions`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Shell {
    /// GNU Bash.
    Bash,
    /// Z shell.
    Zsh,
    /// fish.
    Fish,
    /// PowerShell.
    Powershell,
    /// Elvish.
    Elvish,
}
