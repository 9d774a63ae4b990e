//! `wisp schema`: print the spec's JSON Schema (the bytes of `schema/wisp.schema.json`).

use super::ExitStatus;

pub fn run() -> ExitStatus {
    print!("{}", wisp::schema::schema_json());
    ExitStatus::Success
}
