//! The one configuration of the server, read once at start-up from flags and the environment.
//! Nothing else in the program reads the environment.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Fuhua: the platform for a city's incubation carriers.
#[derive(Debug, Parser)]
#[command(name = "fuhua", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply pending migrations, then serve the application (the default).
    Serve(ServeArgs),
    /// Apply pending migrations and exit.
    Migrate,
    /// Add data to the database.
    Seed(SeedArgs),
    /// Create an account (the first admin or bureau user). Reads the password from standard
    /// input with --password-stdin; without it, prints a one-time link for setting it.
    CreateUser(CreateUserArgs),
    /// Print a one-time link (24 hours) at which an account sets a new password: for an
    /// installation without a second admin to approve a reset.
    ResetLink(ResetLinkArgs),
    /// Write a consistent copy of every table to a file, while the server keeps serving.
    Backup(FileArgs),
    /// Restore a backup file into an empty database (of either engine).
    Restore(FileArgs),
    /// Rebuild every carrier's area ledger and roll-ups from scratch (rolled back) and compare
    /// them with what is stored; look for units booked twice. Exits with 1 if anything differs.
    Check,
    /// The city's reference data: districts, counties and zones with their division codes, and
    /// its area targets.
    #[command(subcommand)]
    City(CityCommand),
}

#[derive(Debug, Subcommand)]
pub enum CityCommand {
    /// Load a city file again (after editing it): districts added or renamed by division code,
    /// targets added where missing. Nothing is deleted.
    Import(FileArgs),
    /// Write the built-in city file (Linyi) to a path, as a start for another city's.
    Export(FileArgs),
}

#[derive(Debug, Args)]
pub struct ResetLinkArgs {
    #[arg(long)]
    pub email: String,
}

#[derive(Debug, Args)]
pub struct FileArgs {
    /// The file.
    pub path: PathBuf,
}

#[derive(Debug, Args)]
pub struct CreateUserArgs {
    #[arg(long)]
    pub email: String,
    /// The person's name as the UI shows it.
    #[arg(long)]
    pub name: String,
    /// `admin` or `bureau`; may be repeated.
    #[arg(long = "role", required = true, value_parser = ["admin", "bureau"])]
    pub roles: Vec<String>,
    /// Read the password from the first line of standard input.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Default, Args)]
pub struct ServeArgs {
    /// On an empty database, first load the demonstration city (Linyi's districts and carriers).
    #[arg(long, env = "FUHUA_DEMO")]
    pub demo: bool,

    /// Also serve the performance harness's baselines (`/bench/fortunes`, `/bench/commit`) and
    /// create their tables: for `bench/run.sh` only, never in production.
    #[arg(long, hide = true)]
    pub bench_baseline: bool,
}

#[derive(Debug, Args)]
pub struct SeedArgs {
    /// The demonstration city: Linyi's districts, counties and zones and a few dozen carriers.
    /// Idempotent: what exists is left alone.
    #[arg(long)]
    pub demo: bool,
    /// With --demo, into an empty database: that many cities like the demonstration one (each
    /// carrier, unit, lease, tenant and ledger copied, renamed and renumbered), for measuring
    /// the product at scale. 1 to 200.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=i64::from(service::seed::MAX_FACTOR)))]
    pub scale: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Database URL: `sqlite://path?mode=rwc` or `postgres://user@host/db`.
    /// [default: SQLite at <data-dir>/fuhua.db]
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,

    /// A city file (JSON, the shape of `fuhua city export`) that a database without districts
    /// starts with. [default: the built-in Linyi]
    #[arg(long, env = "FUHUA_CITY", global = true)]
    pub city: Option<PathBuf>,

    /// Directory for the embedded database and other local data; created when missing.
    #[arg(long, env = "FUHUA_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,

    /// Address to listen on. [default: LEPTOS_SITE_ADDR, else 127.0.0.1:3000]
    #[arg(long, env = "FUHUA_BIND", global = true)]
    pub bind: Option<SocketAddr>,

    /// Set by cargo-leptos; used when --bind is not given.
    #[arg(long, env = "LEPTOS_SITE_ADDR", default_value = "127.0.0.1:3000", hide = true, global = true)]
    pub site_addr: SocketAddr,

    /// Directory with the built site (JavaScript, WebAssembly, CSS), as cargo-leptos writes it.
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site", global = true)]
    pub site_root: PathBuf,

    /// Log filter, in tracing's `EnvFilter` syntax (`info`, `fuhua=debug,sqlx=warn`, …).
    #[arg(long, env = "FUHUA_LOG", default_value = "info", global = true)]
    pub log: String,

    /// Log line format.
    #[arg(long, env = "FUHUA_LOG_FORMAT", value_enum, default_value = "text", global = true)]
    pub log_format: LogFormat,

    /// The address users reach the site at, e.g. `https://fuhua.example.gov.cn`. With `https`,
    /// session cookies are marked Secure. [default: none; cookies without Secure]
    #[arg(long, env = "FUHUA_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

    /// A session ends after this many minutes without a request.
    #[arg(long, env = "FUHUA_SESSION_IDLE_MINUTES", default_value_t = 30, global = true)]
    pub session_idle_minutes: u32,

    /// A session ends this many hours after sign-in.
    #[arg(long, env = "FUHUA_SESSION_MAX_HOURS", default_value_t = 12, global = true)]
    pub session_max_hours: u32,

    /// Idle timeout in seconds instead of minutes (for tests of expiry only).
    #[arg(long, env = "FUHUA_SESSION_IDLE_SECONDS", hide = true, global = true)]
    pub session_idle_seconds: Option<u32>,

    /// Reverse proxies whose X-Forwarded-For is believed, comma-separated addresses or CIDR
    /// ranges (`127.0.0.1,10.0.0.0/8`). The client is the rightmost address in the header that is
    /// not one of them; from any other peer the header is ignored. [default: none]
    #[arg(long, env = "FUHUA_TRUSTED_PROXIES", default_value = "", global = true)]
    pub trusted_proxies: String,

    /// Seconds a client has to send a request's headers (and an idle connection stays open).
    #[arg(long, env = "FUHUA_HEADER_TIMEOUT_SECONDS", default_value_t = 10, global = true)]
    pub header_timeout_seconds: u32,

    /// Longest wait, in seconds, between two parts of a request body.
    #[arg(long, env = "FUHUA_BODY_TIMEOUT_SECONDS", default_value_t = 15, global = true)]
    pub body_timeout_seconds: u32,

    /// Longest time, in seconds, one request may take (answered 408 after).
    #[arg(long, env = "FUHUA_REQUEST_TIMEOUT_SECONDS", default_value_t = 60, global = true)]
    pub request_timeout_seconds: u32,

    /// Connections open at once; more wait in the kernel's queue.
    #[arg(long, env = "FUHUA_MAX_CONNECTIONS", default_value_t = 1024, global = true)]
    pub max_connections: usize,

    /// Requests in progress at once; more are refused with 503 and Retry-After.
    #[arg(long, env = "FUHUA_MAX_IN_FLIGHT", default_value_t = 256, global = true)]
    pub max_in_flight: usize,

    /// Seconds shutdown waits for requests in progress before closing their connections.
    #[arg(long, env = "FUHUA_SHUTDOWN_GRACE_SECONDS", default_value_t = 20, global = true)]
    pub shutdown_grace_seconds: u32,

    /// Set by `cargo leptos watch`: the page then reloads itself, which the CSP must allow.
    #[arg(long, env = "LEPTOS_WATCH", hide = true, global = true)]
    pub watch: Option<String>,
}

impl Config {
    /// The database URL to use: the one given, or the SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) if !url.trim().is_empty() => url.clone(),
            _ => format!("sqlite://{}?mode=rwc", self.data_dir.join("fuhua.db").display()),
        }
    }

    /// Where to listen.
    pub fn bind(&self) -> SocketAddr {
        self.bind.unwrap_or(self.site_addr)
    }

    /// How long sessions last.
    pub fn session_policy(&self) -> app::api::SessionPolicy {
        let idle = match self.session_idle_seconds {
            Some(seconds) => chrono::Duration::seconds(i64::from(seconds)),
            None => chrono::Duration::minutes(i64::from(self.session_idle_minutes)),
        };
        app::api::SessionPolicy { idle, absolute: chrono::Duration::hours(i64::from(self.session_max_hours)) }
    }

    /// The site's address for links printed on the command line.
    pub fn origin(&self) -> String {
        self.public_url.clone().unwrap_or_else(|| format!("http://{}", self.bind()))
    }

    /// Whether cookies must only travel over TLS.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.as_deref().is_some_and(|url| url.starts_with("https://"))
    }

    /// The security settings of the HTTP layer.
    pub fn security(&self) -> crate::security::Security {
        crate::security::Security {
            secure_cookies: self.secure_cookies(),
            reload_port: self.watch.as_ref().map(|_| self.leptos_options().reload_port),
        }
    }

    /// The reverse proxies to believe, or why the list cannot be read.
    pub fn trusted_proxies(&self) -> Result<service::client::TrustedProxies, String> {
        service::client::TrustedProxies::parse(&self.trusted_proxies).map_err(|e| format!("--trusted-proxies: {e}"))
    }

    /// The limits of the HTTP layer.
    pub fn limits(&self) -> crate::serve::Limits {
        let seconds = |s: u32| std::time::Duration::from_secs(u64::from(s.max(1)));
        crate::serve::Limits {
            header_read_timeout: seconds(self.header_timeout_seconds),
            body_read_timeout: seconds(self.body_timeout_seconds),
            request_timeout: seconds(self.request_timeout_seconds),
            max_connections: self.max_connections.max(1),
            max_in_flight: self.max_in_flight.max(1),
            shutdown_grace: seconds(self.shutdown_grace_seconds),
        }
    }

    /// The Leptos options for rendering and serving the site.
    pub fn leptos_options(&self) -> leptos::config::LeptosOptions {
        leptos::config::LeptosOptions::builder()
            .output_name("fuhua")
            .site_root(self.site_root.display().to_string())
            .site_pkg_dir("pkg")
            .site_addr(self.bind())
            .build()
    }
}

/// `url` with any password replaced, fit for a log line.
pub fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_owned();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => {
            let credentials = &rest[..at];
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{}://{user}:***@{}", &url[..scheme_end], &rest[at + 1..])
        }
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_the_log() {
        assert_eq!(redact("postgres://fuhua:s3cret@db:5432/fuhua"), "postgres://fuhua:***@db:5432/fuhua");
        assert_eq!(redact("postgres://postgres@127.0.0.1/x"), "postgres://postgres:***@127.0.0.1/x");
        assert_eq!(redact("sqlite://data/fuhua.db?mode=rwc"), "sqlite://data/fuhua.db?mode=rwc");
    }

    #[test]
    fn with_no_configuration_the_database_is_a_sqlite_file_in_the_data_directory() {
        let cli = Cli::try_parse_from(["fuhua"]).unwrap();
        if std::env::var_os("DATABASE_URL").is_none() && std::env::var_os("FUHUA_DATA_DIR").is_none() {
            assert_eq!(cli.config.database_url(), "sqlite://data/fuhua.db?mode=rwc");
        }
        assert!(cli.command.is_none(), "serving is the default");
    }

    #[test]
    fn flags_choose_the_command_and_override_the_defaults() {
        let cli = Cli::try_parse_from(["fuhua", "--bind", "0.0.0.0:8080", "seed", "--demo"]).unwrap();
        assert_eq!(cli.config.bind().to_string(), "0.0.0.0:8080");
        assert!(matches!(cli.command, Some(Command::Seed(SeedArgs { demo: true, scale: 1 }))));
    }

    #[test]
    fn the_demo_city_grows_to_a_scale_of_one_to_two_hundred() {
        let cli = Cli::try_parse_from(["fuhua", "seed", "--demo", "--scale", "100"]).unwrap();
        assert!(matches!(cli.command, Some(Command::Seed(SeedArgs { demo: true, scale: 100 }))));
        for refused in ["0", "201", "-3", "many"] {
            assert!(Cli::try_parse_from(["fuhua", "seed", "--demo", "--scale", refused]).is_err(), "{refused}");
        }
    }
}
