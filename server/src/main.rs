//! `fuhua`: reads the configuration, sets up logging and runs the chosen command.

use clap::Parser;
use server::config::{Cli, Command, Config, LogFormat, ServeArgs, redact};
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
            let seeded = service::seed::demo(&db).await.map_err(|e| format!("seeding: {e}"))?;
            println!("seeded {} districts and {} carriers", seeded.districts, seeded.carriers);
            db.close().await.map_err(|e| format!("closing the database: {e}"))
        }
        Command::Serve(args) => serve(config, args).await,
    }
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
    service::db::migrate(&db).await.map_err(|e| format!("migrating: {e}"))?;
    tracing::info!(applied = pending, backend = service::db::backend_name(&db), "database schema is up to date");
    Ok(db)
}

async fn serve(config: Config, args: ServeArgs) -> Result<(), String> {
    let db = open_database(&config).await?;
    if args.demo && service::seed::is_empty(&db).await.map_err(|e| e.to_string())? {
        let seeded = service::seed::demo(&db).await.map_err(|e| format!("seeding the demo city: {e}"))?;
        tracing::info!(districts = seeded.districts, carriers = seeded.carriers, "empty database: demo city loaded");
    }
    let state = server::AppState { leptos_options: config.leptos_options(), db: db.clone() };
    let bind = config.bind();
    let listener = tokio::net::TcpListener::bind(bind).await.map_err(|e| format!("listening on {bind}: {e}"))?;
    tracing::info!("serving on http://{bind}");
    axum::serve(listener, server::router(state))
        .with_graceful_shutdown(server::shutdown_signal())
        .await
        .map_err(|e| format!("serving: {e}"))?;
    db.close().await.map_err(|e| format!("closing the database: {e}"))?;
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
