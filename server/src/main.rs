//! `fuhua`: reads the configuration, sets up logging and runs the chosen command.

use clap::Parser;
use domain::account::Role;
use server::config::{CityCommand, Cli, Command, Config, CreateUserArgs, LogFormat, ServeArgs, redact};
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(&cli.config);
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let config = cli.config;
    match cli.command.unwrap_or(Command::Serve(ServeArgs::default())) {
        Command::Migrate => {
            let db = open_database(&config).await?;
            db.close().await.map_err(|e| format!("closing the database: {e}"))
        }
        Command::Seed(args) => {
            if !args.demo {
                return Err("nothing to seed: pass --demo to load the demonstration city".to_owned());
            }
            let db = open_database(&config).await?;
            if !service::seed::is_empty(&db).await.map_err(|e| e.to_string())? && args.scale > 1 {
                return Err("--scale grows a new demonstration city: seed it into an empty database".to_owned());
            }
            let seeded = load_demo(&config, &db, args.scale).await?;
            println!(
                "seeded {} districts, {} carriers, {} units and {} accounts (password of the demo accounts: {})",
                seeded.districts,
                seeded.carriers,
                seeded.units,
                seeded.accounts,
                service::seed::DEMO_PASSWORD
            );
            db.close().await.map_err(|e| format!("closing the database: {e}"))
        }
        Command::Serve(args) => serve(config, args).await,
        Command::CreateUser(args) => create_user(&config, args).await,
        Command::ResetLink(args) => {
            let db = open_database(&config).await?;
            let link = service::accounts::reset_link_from_cli(&db, &args.email).await;
            db.close().await.map_err(|e| format!("closing the database: {e}"))?;
            let link = link.map_err(|e| match e {
                service::ServiceError::Invalid(_) => format!("no account has the email {}", args.email),
                other => format!("issuing the link: {other}"),
            })?;
            let origin = config.origin();
            println!("set the password of {} within 24 hours at: {origin}{}", args.email, link.path);
            Ok(())
        }
        Command::Backup(args) => backup(&config, &args.path).await,
        Command::Restore(args) => restore(&config, &args.path).await,
        Command::Check => check(&config).await,
        Command::City(CityCommand::Export(args)) => std::fs::write(&args.path, service::reference::DEFAULT_CITY)
            .map_err(|e| format!("writing {}: {e}", args.path.display())),
        Command::City(CityCommand::Import(args)) => {
            let city = read_city(&args.path)?;
            let db = open_database(&config).await?;
            let report = service::reference::import_city(&db, &city, service::audit::By::System("city-import")).await;
            db.close().await.map_err(|e| format!("closing the database: {e}"))?;
            let report = report.map_err(|e| format!("importing {}: {e}", args.path.display()))?;
            println!(
                "{}: {} districts added, {} updated, {} unchanged; {} targets added",
                city.city.name_en, report.added, report.updated, report.unchanged, report.targets_added
            );
            if !report.not_in_file.is_empty() {
                println!("kept, though the file no longer lists them: {}", report.not_in_file.join(", "));
            }
            Ok(())
        }
    }
}

/// Reads and checks a city file, with every problem named.
fn read_city(path: &std::path::Path) -> Result<service::reference::CheckedCity, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| format!("opening {}: {e}", path.display()))?;
    let mut text = String::new();
    file.take(service::reference::MAX_CITY_FILE_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| format!("reading {}: {e}", path.display()))?;
    if text.len() as u64 > service::reference::MAX_CITY_FILE_BYTES {
        return Err(format!("{} is larger than a city file may be (1 MB)", path.display()));
    }
    service::reference::parse_city(&text).map_err(|e| format!("{}: {e}", path.display()))
}

async fn create_user(config: &Config, args: CreateUserArgs) -> Result<(), String> {
    let password = if args.password_stdin {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map_err(|e| format!("reading the password: {e}"))?;
        Some(line.trim_end_matches(['\r', '\n']).to_owned())
    } else {
        None
    };
    let roles: Vec<Role> = args.roles.iter().filter_map(|r| Role::from_code(r)).collect();
    let db = open_database(config).await?;
    let created = service::accounts::create_from_cli(&db, &args.email, &args.name, &roles, password.as_deref()).await;
    db.close().await.map_err(|e| format!("closing the database: {e}"))?;
    match created {
        Ok((user, None)) => {
            println!("created account {user} for {}", args.email);
            Ok(())
        }
        Ok((user, Some(link))) => {
            let origin = config.origin();
            println!("created account {user} for {}", args.email);
            println!("set its password within 24 hours at: {origin}{}", link.path);
            Ok(())
        }
        Err(service::ServiceError::Invalid(errors)) => {
            let problems: Vec<String> = errors.iter().map(|e| format!("{}: {:?}", e.field, e.problem)).collect();
            Err(format!("the account was not created: {}", problems.join("; ")))
        }
        Err(e) => Err(format!("creating the account: {e}")),
    }
}

/// `fuhua check`: the stored ledgers and roll-ups against their rebuild.
async fn check(config: &Config) -> Result<(), String> {
    let url = config.database_url();
    let db = service::db::connect(&url).await.map_err(|e| format!("connecting to {}: {e}", redact(&url)))?;
    let started = std::time::Instant::now();
    let check = service::spaces::check(&db).await.map_err(|e| format!("checking: {e}"));
    db.close().await.map_err(|e| format!("closing the database: {e}"))?;
    let check = check?;
    for difference in &check.differences {
        println!("{difference}");
    }
    println!(
        "checked {} carriers and {} units in {:.1} s: {} tables differ from their rebuild, {} units booked twice",
        check.carriers,
        check.units,
        started.elapsed().as_secs_f64(),
        check.differences.len(),
        check.double_bookings
    );
    if check.is_exact() { Ok(()) } else { Err("the derived figures are not exact".to_owned()) }
}

/// Writes a backup to `path`: first to `path.partial`, renamed when complete, so that an
/// interrupted backup never leaves a file that looks whole.
async fn backup(config: &Config, path: &std::path::Path) -> Result<(), String> {
    let url = config.database_url();
    let db = service::db::connect(&url).await.map_err(|e| format!("connecting to {}: {e}", redact(&url)))?;
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = std::path::PathBuf::from(partial);
    let file = std::fs::File::create(&partial).map_err(|e| format!("creating {}: {e}", partial.display()))?;
    let mut out = std::io::BufWriter::new(file);
    let started = std::time::Instant::now();
    let summary = service::backup::backup(&db, &mut out).await.map_err(|e| format!("backing up: {e}"))?;
    let file = out.into_inner().map_err(|e| format!("writing {}: {e}", partial.display()))?;
    file.sync_all().map_err(|e| format!("writing {}: {e}", partial.display()))?;
    std::fs::rename(&partial, path).map_err(|e| format!("renaming to {}: {e}", path.display()))?;
    db.close().await.map_err(|e| format!("closing the database: {e}"))?;
    println!(
        "backed up {} rows of {} tables to {} in {:.1} s",
        summary.rows(),
        summary.tables.len(),
        path.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Restores the backup at `path` into the configured database, which must be empty.
async fn restore(config: &Config, path: &std::path::Path) -> Result<(), String> {
    let file = std::fs::File::open(path).map_err(|e| format!("opening {}: {e}", path.display()))?;
    let url = config.database_url();
    if url.starts_with("sqlite:") && config.database_url.is_none() {
        std::fs::create_dir_all(&config.data_dir)
            .map_err(|e| format!("creating the data directory {}: {e}", config.data_dir.display()))?;
    }
    let db = service::db::connect(&url).await.map_err(|e| format!("connecting to {}: {e}", redact(&url)))?;
    let started = std::time::Instant::now();
    let restored = service::backup::restore(&db, &mut std::io::BufReader::new(file)).await;
    db.close().await.map_err(|e| format!("closing the database: {e}"))?;
    let summary = restored.map_err(|e| format!("restoring {}: {e}", path.display()))?;
    println!(
        "restored {} rows of {} tables from {} in {:.1} s",
        summary.rows(),
        summary.tables.len(),
        path.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Connects (creating the SQLite directory if needed) and applies pending migrations.
async fn open_database(config: &Config) -> Result<service::DatabaseConnection, String> {
    let url = config.database_url();
    if url.starts_with("sqlite:") && config.database_url.is_none() {
        std::fs::create_dir_all(&config.data_dir)
            .map_err(|e| format!("creating the data directory {}: {e}", config.data_dir.display()))?;
    }
    tracing::info!(database = %redact(&url), "connecting to the database");
    let db = service::db::connect(&url).await.map_err(|e| format!("connecting to {}: {e}", redact(&url)))?;
    let pending = service::db::pending_migrations(&db).await.map_err(|e| format!("reading migrations: {e}"))?;
    let city = config.city.as_deref().map(read_city).transpose()?;
    service::install::migrate_with(&db, city.as_ref()).await.map_err(|e| format!("migrating: {e}"))?;
    tracing::info!(applied = pending, backend = service::db::backend_name(&db), "database schema is up to date");
    Ok(db)
}

/// Loads the demonstration city through a pool made for loading (see
/// `service::db::connect_for_loading`), once `db` has brought the schema up to date. An
/// in-memory database is a database per pool: it is loaded through `db` itself.
async fn load_demo(
    config: &Config,
    db: &service::DatabaseConnection,
    scale: u32,
) -> Result<service::seed::Seeded, String> {
    let url = config.database_url();
    let started = std::time::Instant::now();
    let load = |db: service::DatabaseConnection| async move {
        let seeded = service::seed::demo(&db).await.map_err(|e| format!("seeding the demo city: {e}"))?;
        let grown = service::seed::grow(&db, scale).await.map_err(|e| format!("growing the demo city: {e}"))?;
        if scale > 1 {
            tracing::info!(scale, rows = grown.rows.iter().map(|(_, n)| n).sum::<u64>(), "demo city grown");
        }
        Ok::<_, String>(seeded)
    };
    let seeded = if url.contains(":memory:") || url.contains("mode=memory") {
        load(db.clone()).await?
    } else {
        let loading =
            service::db::connect_for_loading(&url).await.map_err(|e| format!("connecting to {}: {e}", redact(&url)))?;
        let seeded = load(loading.clone()).await?;
        service::db::finish_loading(loading).await.map_err(|e| format!("finishing the demo city: {e}"))?;
        seeded
    };
    tracing::info!(
        startups = seeded.startups,
        tenancies = seeded.tenancies.len(),
        seconds = started.elapsed().as_secs_f64(),
        "demo city loaded"
    );
    Ok(seeded)
}

async fn serve(config: Config, args: ServeArgs) -> Result<(), String> {
    let db = open_database(&config).await?;
    if args.demo && service::seed::is_empty(&db).await.map_err(|e| e.to_string())? {
        let seeded = load_demo(&config, &db, 1).await?;
        tracing::info!(districts = seeded.districts, carriers = seeded.carriers, "empty database: demo city loaded");
    }
    let state = server::AppState {
        leptos_options: config.leptos_options(),
        db: db.clone(),
        sessions: config.session_policy(),
        security: config.security(),
        trusted_proxies: config.trusted_proxies()?,
        limits: config.limits(),
        refusals: Default::default(),
        bench_baseline: args.bench_baseline,
        figures: Default::default(),
    };
    if args.bench_baseline {
        service::bench::prepare(&db).await.map_err(|e| format!("preparing the benchmark baselines: {e}"))?;
        tracing::warn!("serving the benchmark baselines (/bench/fortunes, /bench/commit): not for production");
    }
    let bind = config.bind();
    let listener = tokio::net::TcpListener::bind(bind).await.map_err(|e| format!("listening on {bind}: {e}"))?;
    tracing::info!("serving on http://{bind}");
    server::serve(listener, state, server::shutdown_signal()).await.map_err(|e| format!("serving: {e}"))?;
    // Every write was committed before it was acknowledged; closing the pool only tidies up, and
    // must not hold the exit back.
    match tokio::time::timeout(std::time::Duration::from_secs(5), db.close()).await {
        Ok(closed) => closed.map_err(|e| format!("closing the database: {e}"))?,
        Err(_) => tracing::warn!("the database did not close within 5 s; exiting anyway"),
    }
    tracing::info!("stopped");
    Ok(())
}

fn init_logging(config: &Config) {
    let filter = EnvFilter::try_new(&config.log).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_target(true);
    match config.log_format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}
