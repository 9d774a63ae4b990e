//! The committed `schema/wisp.schema.json` is what the code generates.

#[test]
fn committed_schema_is_up_to_date() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema/wisp.schema.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    let generated = wisp::schema::schema_json();
    assert!(
        committed == generated,
        "schema/wisp.schema.json is out of date; regenerate it with `cargo run -q -- schema > schema/wisp.schema.json`"
    );
}
