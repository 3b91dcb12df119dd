//! `sous redact`: redacts stdin as one plain text, or as JSON lines `{"text", "names"}` in order.

use std::io::{self, BufRead, Write};

use serde::{Deserialize, Serialize};

use super::shared;

/// One input line in `--jsonl` mode; `names` adds to the names given on the command line.
#[derive(Deserialize)]
struct NoteIn {
    text: String,
    #[serde(default)]
    names: Option<Vec<String>>,
}

/// Why a line was refused. serde's own messages can quote the input, so replies are built from
/// this and the line number only.
enum LineError {
    Syntax,
    Shape,
}

/// Parses one line as a JSON object; serde would also accept `["text"]` for the struct.
fn parse_line(line: &[u8]) -> Result<NoteIn, LineError> {
    let value: serde_json::Value = serde_json::from_slice(line).map_err(|_| LineError::Syntax)?;
    if !value.is_object() {
        return Err(LineError::Shape);
    }
    NoteIn::deserialize(value).map_err(|_| LineError::Shape)
}

#[derive(Serialize)]
#[serde(untagged)]
enum LineOut {
    Redacted { text: String },
    Error { error: String },
}

/// Reads `input` and writes its redaction to `output`, using `names` as the guest's known names.
///
/// Plain mode redacts all of `input` as one text. JSON-lines mode answers each non-blank line
/// with one line, in order; a bad line gets an error line naming its line number (never its
/// content, which may hold the very data being redacted) and the run goes on.
pub fn run_cli(names: &[String], jsonl: bool, mut input: impl BufRead, mut output: impl Write) -> io::Result<()> {
    let global: Vec<&str> = names.iter().map(String::as_str).collect();
    if !jsonl {
        let mut text = String::new();
        input.read_to_string(&mut text)?;
        output.write_all(shared().redact(&text, &global).text.as_bytes())?;
        return output.flush();
    }
    let mut line = Vec::new();
    let mut number = 0;
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        number += 1;
        if line.trim_ascii().is_empty() {
            continue;
        }
        let reply = match parse_line(&line) {
            Ok(note) => {
                let own = note.names.unwrap_or_default();
                let known: Vec<&str> = global.iter().copied().chain(own.iter().map(String::as_str)).collect();
                LineOut::Redacted { text: shared().redact(&note.text, &known).text }
            }
            Err(LineError::Syntax) => LineOut::Error { error: format!("invalid JSON on line {number}") },
            Err(LineError::Shape) => LineOut::Error {
                error: format!("line {number} is not an object with a \"text\" string and optional \"names\" strings"),
            },
        };
        serde_json::to_writer(&mut output, &reply)?;
        output.write_all(b"\n")?;
    }
    output.flush()
}

#[cfg(test)]
mod tests {
    use super::run_cli;

    fn run(names: &[&str], jsonl: bool, input: &str) -> String {
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let mut output = Vec::new();
        run_cli(&names, jsonl, input.as_bytes(), &mut output).unwrap();
        String::from_utf8(output).unwrap()
    }

    #[test]
    fn plain_mode_redacts_the_whole_input_with_the_given_names() {
        let out = run(&["Anna Berg"], false, "Anna Berg, table 4\ncall 020 7946 0958 at 7pm\n");
        assert_eq!(out, "[NAME], table 4\ncall [PHONE] at 7pm\n");
    }

    #[test]
    fn jsonl_mode_answers_each_line_in_order_with_line_and_global_names() {
        let input = "{\"text\": \"Anna and Tom, nut allergy\", \"names\": [\"Tom Hale\"]}\n{\"text\": \"anna@x.io\"}\n";
        let out = run(&["Anna Berg"], true, input);
        assert_eq!(out, "{\"text\":\"[NAME] and [NAME], nut allergy\"}\n{\"text\":\"[EMAIL]\"}\n");
    }

    #[test]
    fn a_malformed_line_gets_an_error_without_its_content_and_the_run_goes_on() {
        let input = "{\"text\": \"call 2125550142\"\n[\"Anna Berg\"]\n\n{\"text\": \"party of 6\"}\r\n";
        let out = run(&[], true, input);
        assert_eq!(
            out,
            "{\"error\":\"invalid JSON on line 1\"}\n\
             {\"error\":\"line 2 is not an object with a \\\"text\\\" string and optional \\\"names\\\" strings\"}\n\
             {\"text\":\"party of 6\"}\n"
        );
        assert!(!out.contains("2125550142") && !out.contains("Anna"));
    }

    #[test]
    fn invalid_utf8_is_an_invalid_line_not_a_crash() {
        let mut output = Vec::new();
        run_cli(&[], true, &b"{\"text\": \"\xff\"}\n{\"text\": \"ok\"}\n"[..], &mut output).unwrap();
        assert_eq!(String::from_utf8(output).unwrap(), "{\"error\":\"invalid JSON on line 1\"}\n{\"text\":\"ok\"}\n");
    }
}
