//! Source files, spans and line/column lookup.
//!
//! Every span in the compiler is a byte range inside one [`SourceFile`],
//! named by a [`FileId`]. Files live in a [`SourceMap`] owned by the caller,
//! so a compilation that includes headers can point diagnostics into them.

use std::sync::Arc;

/// Index of a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub file: FileId,
    pub lo: u32,
    pub hi: u32,
}

impl Span {
    pub fn new(file: FileId, lo: u32, hi: u32) -> Span {
        Span { file, lo, hi }
    }

    /// The smallest span covering both (which must be in the same file).
    pub fn to(self, other: Span) -> Span {
        if self.file != other.file {
            return self;
        }
        Span {
            file: self.file,
            lo: self.lo.min(other.lo),
            hi: self.hi.max(other.hi),
        }
    }

    /// An empty span at the start of this one.
    pub fn start(self) -> Span {
        Span { hi: self.lo, ..self }
    }

    /// An empty span at the end of this one.
    pub fn end(self) -> Span {
        Span { lo: self.hi, ..self }
    }
}

/// One loaded source file: its name as the user knows it and its text.
#[derive(Debug)]
pub struct SourceFile {
    pub name: String,
    pub text: Arc<str>,
    /// Byte offset at which each line starts.
    line_starts: Vec<u32>,
    /// Added to physical line numbers after a `-file(Name, Line)` attribute;
    /// (from byte offset, delta) in increasing offset order.
    line_deltas: Vec<(u32, i64)>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> SourceFile {
        let text: Arc<str> = text.into();
        let mut line_starts = vec![0u32];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(i as u32 + 1);
            }
        }
        SourceFile {
            name: name.into(),
            text,
            line_starts,
            line_deltas: Vec::new(),
        }
    }

    /// Physical 1-based line of a byte offset.
    pub fn physical_line(&self, offset: u32) -> u32 {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i as u32 + 1,
            Err(i) => i as u32,
        }
    }

    /// 1-based line and column (in characters, as erl_scan counts them) of a
    /// byte offset. The line honours `-file` renumbering.
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        let line = self.physical_line(offset);
        let start = self.line_starts[(line - 1) as usize] as usize;
        let end = (offset as usize).min(self.text.len());
        let col = self
            .text
            .get(start..end)
            .map(|s| s.chars().count())
            .unwrap_or(end - start) as u32
            + 1;
        (self.logical_line(offset, line), col)
    }

    /// The line number a user sees (what `?LINE` expands to).
    pub fn line(&self, offset: u32) -> u32 {
        let physical = self.physical_line(offset);
        self.logical_line(offset, physical)
    }

    fn logical_line(&self, offset: u32, physical: u32) -> u32 {
        let delta = self
            .line_deltas
            .iter()
            .rev()
            .find(|(from, _)| *from <= offset)
            .map(|(_, d)| *d)
            .unwrap_or(0);
        (physical as i64 + delta).max(1) as u32
    }

    /// From `offset` on, lines are numbered so that the line holding
    /// `offset` is `line` (what `-file(Name, Line).` does in epp).
    pub fn renumber_from(&mut self, offset: u32, line: u32) {
        let physical = self.physical_line(offset) as i64;
        self.line_deltas.push((offset, line as i64 - physical));
    }

    /// The text of one physical line, without its newline.
    pub fn line_text(&self, physical_line: u32) -> &str {
        let i = (physical_line.max(1) - 1) as usize;
        let start = *self.line_starts.get(i).unwrap_or(&0) as usize;
        let end = self
            .line_starts
            .get(i + 1)
            .map(|e| *e as usize - 1)
            .unwrap_or(self.text.len());
        self.text.get(start..end).unwrap_or("").trim_end_matches('\r')
    }
}

/// All files of one compilation (a module and the headers it includes).
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.files.len() as u32 - 1)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn get_mut(&mut self, id: FileId) -> &mut SourceFile {
        &mut self.files[id.0 as usize]
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(i as u32), f))
    }

    /// (file name, line, column) of the start of a span.
    pub fn location(&self, span: Span) -> (&str, u32, u32) {
        let f = self.get(span.file);
        let (l, c) = f.line_col(span.lo);
        (&f.name, l, c)
    }
}

/// Decode source bytes as epp does: UTF-8 unless the first two lines carry an
/// encoding comment naming Latin-1 (`%% coding: latin-1`). Bytes that are not
/// valid UTF-8 in a file that claims none are read as Latin-1, so that no
/// input is rejected before the scanner can point at it.
pub fn decode_source(bytes: &[u8]) -> String {
    if declares_latin1(bytes) {
        return bytes.iter().map(|&b| b as char).collect();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes.iter().map(|&b| b as char).collect(),
    }
}

fn declares_latin1(bytes: &[u8]) -> bool {
    // epp:read_encoding looks at the first two lines for "coding: NAME" or
    // "coding= NAME" (Emacs and Vim style).
    let mut lines = bytes.split(|&b| b == b'\n');
    for _ in 0..2 {
        let Some(line) = lines.next() else { break };
        let line = String::from_utf8_lossy(line).to_ascii_lowercase();
        if !line.trim_start().starts_with('%') {
            continue;
        }
        if let Some(pos) = line.find("coding") {
            let rest = line[pos + 6..].trim_start_matches([':', '=']).trim_start();
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            return matches!(name.as_str(), "latin-1" | "latin1" | "iso-8859-1");
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let f = SourceFile::new("t.erl", "ab\nçd e\n");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        // 'ç' is two bytes but one column.
        assert_eq!(f.line_col(6), (2, 3));
        assert_eq!(f.line_text(2), "çd e");
    }

    #[test]
    fn renumbering_moves_later_lines() {
        let mut f = SourceFile::new("t.erl", "a\nb\nc\nd\n");
        f.renumber_from(4, 100); // "c" is line 100
        assert_eq!(f.line(2), 2);
        assert_eq!(f.line(4), 100);
        assert_eq!(f.line(6), 101);
    }

    #[test]
    fn latin1_encoding_comment() {
        let bytes = b"%% -*- coding: latin-1 -*-\n\xe9\n";
        assert_eq!(decode_source(bytes), "%% -*- coding: latin-1 -*-\n\u{e9}\n");
        assert_eq!(decode_source("é".as_bytes()), "é");
    }
}
