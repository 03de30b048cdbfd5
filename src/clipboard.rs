//! (placeholder until the export branch lands: same interface)
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClipboardChoice { Auto, System, Osc52, Command(String) }
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CopiedVia { System, Osc52 { warn_large: bool }, Command(String) }
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ClipboardError(pub String);
pub trait ClipboardSink: Send { 
    /// # Errors
    /// never
    fn copy(&mut self, text: &str) -> Result<CopiedVia, ClipboardError>; }
#[derive(Debug, Clone, Copy, Default)]
pub struct EnvFacts { pub ssh: bool, pub display: bool, pub tmux: bool }
impl EnvFacts { #[must_use] pub fn from_env() -> Self { Self::default() } }
struct Nothing;
impl ClipboardSink for Nothing { fn copy(&mut self, _: &str) -> Result<CopiedVia, ClipboardError> { Ok(CopiedVia::System) } }
#[must_use]
pub fn open(_: &ClipboardChoice, _: &EnvFacts) -> Box<dyn ClipboardSink> { Box::new(Nothing) }
