//! The Burki API client.

mod config;

pub use config::{ApiConfig, ApiKey, CallRef, DEFAULT_BASE_URL, KeySource};

// (placeholder until the api branch lands)
use crate::model::{CallInfo, LogSet};
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct ApiError(pub String);
impl ApiError { #[must_use] pub fn exit_code(&self) -> u8 { 9 } }
#[derive(Debug)]
pub struct ApiClient;
pub struct FetchedCall { pub call_id: i64, pub call: Option<CallInfo>, pub call_error: Option<ApiError>, pub logs: LogSet }
impl ApiClient {
    /// # Errors
    /// always
    pub fn new(_: ApiConfig) -> Result<Self, ApiError> { Ok(Self) }
    /// # Errors
    /// always
    pub async fn fetch_call(&self, _: &CallRef, _: Option<&str>) -> Result<FetchedCall, ApiError> { Err(ApiError("not yet".into())) }
}
