//! Diagnostics as data, rendered with miette.
//!
//! A [`Diagnostic`] is plain data — severity, a stable kind, a span, a
//! message and an optional hint — so that callers (the CLI, the REPL, the
//! corpus test) can inspect it. Rendering with the source line and a caret is
//! done on demand by [`render`].

use crate::source::{SourceMap, Span};
use std::fmt::Write as _;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// What went wrong, in broad classes a tool can match on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiagKind {
    /// The scanner met a character or literal it cannot read.
    Lex,
    /// The parser met a token it did not expect.
    Syntax,
    /// `-include`/`-include_lib` named a file that could not be found.
    MissingInclude,
    /// A `?MACRO` that is not defined (or not with that arity).
    UndefinedMacro,
    /// Any other preprocessor error (bad directive, unbalanced conditional...).
    Preprocessor,
    /// `-error(...)` or `-warning(...)` in the source.
    User,
    /// Errors found after parsing (unbound variables, bad patterns...).
    Semantic,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub kind: DiagKind,
    pub span: Span,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(kind: DiagKind, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            kind,
            span,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(kind: DiagKind, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            kind,
            span,
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col: message`, the one-line form OTP tools print.
    pub fn short(&self, sources: &SourceMap) -> String {
        let (name, line, col) = sources.location(self.span);
        let sev = match self.severity {
            Severity::Error => "",
            Severity::Warning => "Warning: ",
        };
        format!("{name}:{line}:{col}: {sev}{}", self.message)
    }
}

/// A diagnostic bound to its source, for miette's renderer.
#[derive(Debug)]
struct Rendered {
    message: String,
    severity: Severity,
    hint: Option<String>,
    src: miette::NamedSource<String>,
    span: miette::SourceSpan,
}

impl std::fmt::Display for Rendered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered {}

impl miette::Diagnostic for Rendered {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.hint
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(miette::LabeledSpan::new_with_span(
            Some("here".to_string()),
            self.span,
        ))))
    }
}

/// Render a diagnostic with its source line and a caret. `color` selects
/// ANSI colours (for a terminal) or plain text (for files and tests).
pub fn render(diag: &Diagnostic, sources: &SourceMap, color: bool) -> String {
    let file = sources.get(diag.span.file);
    let len = diag.span.hi.saturating_sub(diag.span.lo) as usize;
    let rendered = Rendered {
        message: diag.message.clone(),
        severity: diag.severity,
        hint: diag.hint.clone(),
        src: miette::NamedSource::new(file.name.clone(), file.text.to_string()),
        span: (diag.span.lo as usize, len).into(),
    };
    let theme = if color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let handler = miette::GraphicalReportHandler::new_themed(theme)
        .with_context_lines(1)
        .with_width(100);
    let mut out = String::new();
    if handler.render_report(&mut out, &rendered).is_err() {
        let _ = write!(out, "{}", diag.short(sources));
    }
    out
}
