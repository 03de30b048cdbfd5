//! The Burki API client.

mod config;

pub use config::{ApiConfig, ApiKey, CallRef, DEFAULT_BASE_URL, KeySource};
