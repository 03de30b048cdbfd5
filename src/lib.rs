//! hookscope: inspect a Burki call's webhook deliveries from the terminal.

pub mod api;
pub mod case_file;
pub mod clipboard;
pub mod export;
pub mod highlight;
pub mod json_text;
pub mod model;
pub mod redact;
pub mod sanitize;
