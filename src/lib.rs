//! hookscope: inspect a Burki call's webhook deliveries from the terminal.

pub mod absent_types;
pub mod action;
pub mod api;
pub mod app;
pub mod calls_query;
pub mod case_file;
pub mod cli;
pub mod clipboard;
pub mod columns;
pub mod export;
pub mod filter;
pub mod highlight;
pub mod json_text;
pub mod key_scrub;
pub mod keymap;
pub mod layout;
pub mod load;
pub mod model;
pub mod outcome;
pub mod print;
pub mod redact;
pub mod sanitize;
pub mod state;
pub mod terminal;
pub mod ui;
pub mod units;
