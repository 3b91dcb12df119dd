//! Scores the redactor on a labelled corpus: recall per kind, kitchen text kept, throughput.
//! Shared by the quality test (tests/redaction.rs) and the benchmark (benches/redaction.rs), so
//! both report the same numbers.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::time::{Duration, Instant};

use serde::Deserialize;

use super::{EntityKind, Redactor, known_names};

/// One labelled note of the corpus (tests/data/redaction_corpus.jsonl).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelledNote {
    pub text: String,
    /// The guest's names from the reservation record.
    #[serde(default)]
    pub names: Vec<String>,
    /// Personal data written in `text`, each an exact substring.
    #[serde(default)]
    pub pii: Vec<Pii>,
    /// Substrings the kitchen needs, which must survive redaction.
    #[serde(default)]
    pub keep: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pii {
    pub kind: EntityKind,
    pub value: String,
    /// How it is written, for recall per class (`obfuscated_email`, `spelled_phone`, ...).
    #[serde(default)]
    pub class: Option<String>,
}

/// Parses the corpus, refusing a line whose labels are not substrings of its text: a label that
/// does not occur would count as caught and flatter the score.
pub fn parse_corpus(jsonl: &str) -> Result<Vec<LabelledNote>, String> {
    let mut notes = Vec::new();
    for (k, line) in jsonl.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let note: LabelledNote = serde_json::from_str(line).map_err(|e| format!("line {}: {e}", k + 1))?;
        let labels = note.pii.iter().map(|p| &p.value).chain(&note.keep);
        if let Some(missing) = labels.into_iter().find(|l| l.is_empty() || !note.text.contains(l.as_str())) {
            return Err(format!("line {}: label {missing:?} is not in the text", k + 1));
        }
        notes.push(note);
    }
    Ok(notes)
}

/// `hit` out of `total`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub hit: usize,
    pub total: usize,
}

impl Tally {
    /// The share hit, 1.0 for an empty tally (nothing to miss).
    pub fn share(&self) -> f64 {
        if self.total == 0 { 1.0 } else { self.hit as f64 / self.total as f64 }
    }

    fn add(&mut self, hit: bool) {
        self.total += 1;
        self.hit += usize::from(hit);
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{} ({:.2}%)", self.hit, self.total, 100.0 * self.share())
    }
}

/// A label the redactor got wrong: a PII value still in the output, or a kept string lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Miss {
    /// 1-based line of the note in the corpus.
    pub line: usize,
    pub kind: Option<EntityKind>,
    pub value: String,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub notes: usize,
    /// A PII value counts as caught when it is gone whole: neither it nor any of its words
    /// (three characters or more) is left in the output ("maria dot [EMAIL]" misses).
    pub recall: BTreeMap<EntityKind, Tally>,
    /// The same, per class of the labels that have one.
    pub class_recall: BTreeMap<String, Tally>,
    /// NAME recall restricted to values made of the note's known names.
    pub known_name_recall: Tally,
    /// Whitespace tokens of the input outside every PII value that are still in the output.
    pub tokens_kept: Tally,
    /// Notes without PII labels that come out unchanged.
    pub clean_notes_untouched: Tally,
    pub missed: Vec<Miss>,
    pub keep_lost: Vec<Miss>,
}

/// Redacts every note and scores the outputs against the labels.
pub fn evaluate(redactor: &Redactor, notes: &[LabelledNote]) -> Report {
    let mut report = Report { notes: notes.len(), ..Report::default() };
    for kind in EntityKind::ALL {
        report.recall.insert(kind, Tally::default());
    }
    for (k, note) in notes.iter().enumerate() {
        let names: Vec<&str> = note.names.iter().map(String::as_str).collect();
        let out = redactor.redact(&note.text, &names).text;
        let line = k + 1;
        for pii in &note.pii {
            let caught = gone_whole(&note.text, &out, &pii.value);
            report.recall.entry(pii.kind).or_default().add(caught);
            if let Some(class) = &pii.class {
                report.class_recall.entry(class.clone()).or_default().add(caught);
            }
            if pii.kind == EntityKind::Name && is_known_name(&pii.value, &names) {
                report.known_name_recall.add(caught);
            }
            if !caught {
                report.missed.push(Miss { line, kind: Some(pii.kind), value: pii.value.clone() });
            }
        }
        for keep in note.keep.iter().filter(|keep| !out.contains(keep.as_str())) {
            report.keep_lost.push(Miss { line, kind: None, value: keep.clone() });
        }
        let (kept, total) = tokens_kept(note, &out);
        report.tokens_kept.hit += kept;
        report.tokens_kept.total += total;
        if note.pii.is_empty() {
            report.clean_notes_untouched.add(out == note.text);
        }
    }
    report
}

/// `value` is not in `out`, nor any of its words but the spelled connectors ("at", "dot"): each
/// word is left fewer times than the note held it.
fn gone_whole(text: &str, out: &str, value: &str) -> bool {
    if out.contains(value) {
        return false;
    }
    let words = value.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 3 && *w != "dot");
    words.into_iter().all(|word| count_words(out, word) < count_words(text, word))
}

/// Occurrences of `word` as a whole word.
fn count_words(text: &str, word: &str) -> usize {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| *w == word).count()
}

/// Every token of the value is a token of the note's known names.
fn is_known_name(value: &str, names: &[&str]) -> bool {
    let known: Vec<Vec<u8>> = names.iter().flat_map(|n| known_names::tokens(n)).collect();
    let tokens = known_names::tokens(value);
    !tokens.is_empty() && tokens.iter().all(|t| known.contains(t))
}

/// (kept, total) over the whitespace tokens of the input that touch no PII value.
fn tokens_kept(note: &LabelledNote, out: &str) -> (usize, usize) {
    let pii_ranges: Vec<(usize, usize)> = note
        .pii
        .iter()
        .flat_map(|p| note.text.match_indices(p.value.as_str()).map(|(at, v)| (at, at + v.len())))
        .collect();
    let mut available: HashMap<&str, usize> = HashMap::new();
    for token in out.split_whitespace() {
        *available.entry(token).or_default() += 1;
    }
    let (mut kept, mut total) = (0, 0);
    for token in note.text.split_whitespace() {
        let start = token.as_ptr() as usize - note.text.as_ptr() as usize;
        let end = start + token.len();
        if pii_ranges.iter().any(|&(s, e)| s < end && start < e) {
            continue;
        }
        total += 1;
        if let Some(left) = available.get_mut(token).filter(|left| **left > 0) {
            *left -= 1;
            kept += 1;
        }
    }
    (kept, total)
}

/// Notes redacted per second, running the corpus over and over for at least `budget`.
pub fn measure_throughput(redactor: &Redactor, notes: &[LabelledNote], budget: Duration) -> f64 {
    let prepared: Vec<(&str, Vec<&str>)> =
        notes.iter().map(|n| (n.text.as_str(), n.names.iter().map(String::as_str).collect())).collect();
    let started = Instant::now();
    let mut done = 0usize;
    while started.elapsed() < budget || done == 0 {
        for (text, names) in &prepared {
            std::hint::black_box(redactor.redact(std::hint::black_box(text), names));
        }
        done += prepared.len();
    }
    done as f64 / started.elapsed().as_secs_f64()
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "notes: {}", self.notes)?;
        for (kind, tally) in &self.recall {
            writeln!(f, "recall {kind:<7} {tally}")?;
        }
        for (class, tally) in &self.class_recall {
            writeln!(f, "recall of class {class:<22} {tally}")?;
        }
        writeln!(f, "recall NAME (known names only) {}", self.known_name_recall)?;
        writeln!(f, "non-PII tokens kept: {}", self.tokens_kept)?;
        writeln!(f, "notes without PII left untouched: {}", self.clean_notes_untouched)?;
        write!(f, "keep strings lost: {}", self.keep_lost.len())
    }
}

#[cfg(test)]
mod tests {
    use super::{Redactor, evaluate, parse_corpus};
    use crate::redact::EntityKind;

    const CORPUS: &str = concat!(
        r#"{"text": "Anna Berg, call 020 7946 0958, table 4", "names": ["Anna Berg"], "#,
        r#""pii": [{"kind": "NAME", "value": "Anna Berg"}, {"kind": "PHONE", "value": "020 7946 0958"}], "#,
        r#""keep": ["table 4"]}"#,
        "\n",
        r#"{"text": "party of 6 at 7pm", "keep": ["party of 6", "7pm"]}"#,
        "\n",
    );

    #[test]
    fn scores_recall_kept_tokens_and_untouched_clean_notes() {
        let report = evaluate(&Redactor::new(), &parse_corpus(CORPUS).unwrap());
        assert_eq!(report.notes, 2);
        assert_eq!(report.recall[&EntityKind::Name].share(), 1.0);
        assert_eq!(report.recall[&EntityKind::Phone].total, 1);
        assert_eq!(report.known_name_recall.total, 1);
        // "call", "table", "4" and the clean note's five tokens.
        assert_eq!((report.tokens_kept.hit, report.tokens_kept.total), (8, 8));
        assert_eq!(report.clean_notes_untouched.hit, 1);
        assert!(report.keep_lost.is_empty() && report.missed.is_empty());
    }

    #[test]
    fn counts_a_value_left_in_the_output_as_missed() {
        let corpus = r#"{"text": "order 4155550142", "pii": [{"kind": "PHONE", "value": "4155550142"}]}"#;
        let report = evaluate(&Redactor::new(), &parse_corpus(corpus).unwrap());
        assert_eq!(report.recall[&EntityKind::Phone].hit, 0);
        assert_eq!(report.missed[0].line, 1);
    }

    #[test]
    fn a_value_redacted_in_part_is_missed() {
        let corpus = r#"{"text": "mail maria dot lopez at example dot com", "pii": [{"kind": "EMAIL", "value": "maria dot lopez at example dot com", "class": "obfuscated_email"}]}"#;
        let notes = parse_corpus(corpus).unwrap();
        assert!(super::gone_whole(&notes[0].text, "mail [EMAIL]", &notes[0].pii[0].value));
        assert!(!super::gone_whole(&notes[0].text, "mail maria dot [EMAIL]", &notes[0].pii[0].value));
        let report = evaluate(&Redactor::new(), &notes);
        assert_eq!(report.class_recall["obfuscated_email"].total, 1);
    }

    #[test]
    fn refuses_labels_that_are_not_in_the_text() {
        let corpus = r#"{"text": "party of 6", "keep": ["party of 8"]}"#;
        assert!(parse_corpus(corpus).unwrap_err().contains("line 1"));
        assert!(parse_corpus("{not json").is_err());
    }
}
