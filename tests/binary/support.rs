//! Running `sous`: a clean environment (no `SOUS_*` or `DATABASE_URL` from the caller's
//! shell), a temporary working directory per test, and output captured for assertions.
use std::{
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
    sync::atomic::{AtomicU32, Ordering},
};

/// A directory under the system's temporary directory, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(label: &str) -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("sous-bin-{label}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create a temporary directory");
        Self(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// A SQLite URL for a file in this directory.
    pub fn sqlite_url(&self, file: &str) -> String {
        format!("sqlite://{}?mode=rwc", self.0.join(file).display())
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `sous` in `dir`, with none of the caller's Sous settings and logs kept quiet.
pub fn sous(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sous"));
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("SOUS_") || name == "DATABASE_URL" {
            command.env_remove(name.as_ref());
        }
    }
    command.current_dir(dir).env("SOUS_LOG", "warn").stdin(Stdio::null());
    command
}

/// Runs to completion with `stdin` as input.
pub fn run_with_input(mut command: Command, stdin: &str) -> Output {
    use std::io::Write;
    let mut child =
        command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("start sous");
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(stdin.as_bytes()).expect("write stdin");
    drop(input);
    child.wait_with_output().expect("sous runs")
}

/// Runs to completion; panics with both streams when it fails.
pub fn run_ok(mut command: Command) -> String {
    let output = command.output().expect("sous runs");
    assert!(
        output.status.success(),
        "sous failed ({}):\nstdout: {}\nstderr: {}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// Asserts that `output` is a clean refusal: a non-zero status that is not a panic's (101),
/// no panic message, and a message on stderr. Returns stderr.
pub fn assert_clean_failure(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!output.status.success(), "expected a failure, got success; stderr: {stderr}");
    assert_ne!(output.status.code(), Some(101), "a panic: {stderr}");
    assert!(!stderr.contains("panicked at"), "a panic: {stderr}");
    assert!(!stderr.trim().is_empty(), "no message on stderr");
    stderr
}
