//! The app around the plans: readiness, settings, files opened from outside.

use ferry_core::settings::AppSettings;

use crate::{ApiError, Host};

type Answer<T> = Result<T, ApiError>;

/// The UI has drawn its first screen.
pub async fn ready(host: &impl Host) -> Answer<()> {
    host.window_ready();
    Ok(())
}

/// Plan files opened from outside and not yet handed to the UI, which imports each
/// one exactly as its Import button does.
pub async fn opened_files(host: &impl Host) -> Answer<Vec<String>> {
    Ok(host
        .take_opened_files()
        .into_iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect())
}

/// Waits until plan files have been opened from outside; `opened_files_take` hands them over.
pub async fn wait_for_opened_files(host: &impl Host) -> Answer<()> {
    host.opened_files_waiting().await
}

/// Opens the installed list of third-party licences in the system's viewer (the
/// host says where it is; the UI never names a path).
pub async fn open_licences(host: &impl Host) -> Answer<()> {
    let path = host.licences_file().ok_or(ApiError::NoLicences)?;
    host.open_path(&path)
}

/// Opens a public directory of hosting co-ops in the system's browser; the address
/// is the engine's, never one the page sends.
pub async fn open_directory(
    host: &impl Host,
    directory: ferry_core::directories::CoopDirectory,
) -> Answer<()> {
    host.open_url(directory.url())
}

pub async fn settings(host: &impl Host) -> Answer<AppSettings> {
    host.with_library(|lib| lib.app_settings())
}

pub async fn set_settings(host: &impl Host, settings: AppSettings) -> Answer<()> {
    host.with_library(|lib| lib.set_app_settings(&settings))
}
