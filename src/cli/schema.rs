//! `wisp schema`: print the spec's JSON Schema (the bytes of `schema/wisp.schema.json`).

use super::print;
use super::ExitStatus;

pub fn run() -> anyhow::Result<ExitStatus> {
    print::out(&wisp::schema::schema_json())?;
    Ok(ExitStatus::Success)
}
