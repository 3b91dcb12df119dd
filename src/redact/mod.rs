//! Redaction of personal data in free text (being written).
