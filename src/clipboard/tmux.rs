//! Copying inside tmux: the text goes to tmux itself, which keeps it in its paste buffer and
//! passes it on to the outer terminal's clipboard (`set-clipboard external`, tmux's default, and
//! `on` both allow that). Falls back, and says so, where tmux cannot do both.

use std::io::Write;
use std::time::Duration;

use super::{ClipboardError, ClipboardSink, CommandSink, CopiedVia, Osc52Sink, osc52_too_large};

/// The program run for tmux; its server is the one `$TMUX` names.
pub const TMUX_PROGRAM: &str = "tmux";

/// Each tmux command may take this long: two may run for one copy, within the copy's limit.
const TMUX_TIMEOUT: Duration = Duration::from_secs(1);

/// Hands copies to tmux: `tmux load-buffer -w -` (tmux 3.2+) sets the paste buffer and the
/// terminal's clipboard. An older tmux refuses `-w`; the text then goes to its buffer with
/// `load-buffer -` and to the terminal as OSC 52 through tmux's passthrough, which tmux before
/// 3.3 always lets through. When tmux cannot be reached at all, only the passthrough is left,
/// and the report says it may not have landed.
pub struct TmuxSink {
    /// `load-buffer -w -`: buffer and terminal clipboard.
    buffer_and_clipboard: CommandSink,
    /// `load-buffer -`: the buffer only.
    buffer: CommandSink,
    passthrough: Osc52Sink,
}

impl TmuxSink {
    /// `program` is a shell word naming tmux ([`TMUX_PROGRAM`]); OSC 52 fallbacks go to `out`.
    #[must_use]
    pub fn new(program: &str, out: Box<dyn Write + Send>) -> Self {
        Self {
            buffer_and_clipboard: CommandSink::new(format!("{program} load-buffer -w -"), TMUX_TIMEOUT),
            buffer: CommandSink::new(format!("{program} load-buffer -"), TMUX_TIMEOUT),
            passthrough: Osc52Sink::new(out, true),
        }
    }

    /// Sends the wrapped OSC 52 sequence; whether it was over the safe size.
    fn pass_through(&mut self, text: &str) -> Result<bool, ClipboardError> {
        self.passthrough.copy(text)?;
        Ok(osc52_too_large(text.len()))
    }
}

impl ClipboardSink for TmuxSink {
    fn copy(&mut self, text: &str) -> Result<CopiedVia, ClipboardError> {
        let refused = match self.buffer_and_clipboard.copy(text) {
            Ok(_) => return Ok(CopiedVia::Tmux { warn_large: osc52_too_large(text.len()) }),
            Err(err) => why(&err),
        };
        match self.buffer.copy(text) {
            Ok(_) => {
                let warn_large = self.pass_through(text)?;
                Ok(CopiedVia::TmuxBufferAndPassthrough { refused, warn_large })
            }
            Err(err) => {
                let warn_large = self.pass_through(text)?;
                Ok(CopiedVia::Passthrough { why: why(&err), warn_large })
            }
        }
    }
}

/// A failed tmux command in a few words for the status line: what tmux said, else the error.
fn why(err: &ClipboardError) -> String {
    match err {
        ClipboardError::CommandFailed { stderr, .. } if !stderr.is_empty() => stderr.clone(),
        other => other.to_string(),
    }
}
