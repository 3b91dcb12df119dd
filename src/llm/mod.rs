//! The model: an OpenAI-compatible chat endpoint, and the answer types it must fill in.
pub mod answer;
pub mod client;
pub mod edit;

pub use answer::{PrepAnswer, PrepAnswerItem, StaffingAnswer, StaffingAnswerBlock, StaffingAnswerRole};
pub use client::{ChatMessage, Completion, LlmClient, LlmError, Usage, install_crypto_provider};
pub use edit::{PrepChange, PrepEdit, StaffingChange, StaffingEdit};
