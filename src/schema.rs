//! JSON Schema of the spec-sheet format, built from the same names the
//! parser accepts (precisions, source kinds), so editors such as taplo or
//! VS Code validate spec files as people type.

use crate::precision::Precision;
use serde_json::{json, Map, Value};

fn figure(description: &str) -> Value {
    json!({ "type": "number", "minimum": 0, "maximum": 1e15, "description": description })
}

fn figures(extra: Map<String, Value>) -> Map<String, Value> {
    let mut props = extra;
    for p in Precision::ALL {
        props.insert(
            p.name().to_string(),
            figure(&format!(
                "peak dense {} {} ({} bits in TPP)",
                p.name(),
                p.unit(),
                p.bits()
            )),
        );
    }
    props
}

/// The schema, as a JSON value.
pub fn spec_schema() -> Value {
    let mut compute = Map::new();
    compute.insert("sparse".into(), json!({ "type": "boolean", "description": "the figures include 2:4 sparsity and are halved" }));
    compute.insert(
        "tpp".into(),
        figure("a vendor-stated TPP, checked against the figures"),
    );
    let mut unit = Map::new();
    unit.insert("name".into(), json!({ "type": "string" }));
    unit.insert("sparse".into(), json!({ "type": "boolean" }));
    let unit_schema = json!({ "type": "object", "additionalProperties": false, "properties": figures(unit), "minProperties": 1 });
    compute.insert("unit".into(), json!({ "type": "array", "items": unit_schema, "description": "processing units whose TPP adds up" }));
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://chipcheck.invalid/schema/spec.json",
        "title": "chipcheck spec sheet",
        "description": "One accelerator (or a system that contains accelerators) for chipcheck classify",
        "type": "object",
        "additionalProperties": false,
        "required": ["name"],
        "$defs": { "spec": { "$ref": "#" } },
        "properties": {
            "name": { "type": "string", "minLength": 1 },
            "kind": { "enum": ["accelerator", "memory"], "description": "memory: a stand-alone HBM stack (3A090.c)" },
            "vendor": { "type": "string" },
            "aliases": { "type": "array", "items": { "type": "string" } },
            "datacenter": { "type": "boolean", "description": "designed or marketed for datacenter use; absent = unknown" },
            "us_commercially_available": { "type": "boolean", "description": "commercially available in the United States on 2026-01-15 (91 FR 1684's condition for case-by-case review to China/Macau); absent = unknown" },
            "released": { "type": "integer", "minimum": 1990, "maximum": 2100 },
            "notes": { "type": "array", "items": { "type": "string" } },
            "jurisdiction_note": { "type": "string" },
            "compute": { "type": "object", "additionalProperties": false, "properties": figures(compute) },
            "die": {
                "type": "object", "additionalProperties": false,
                "properties": {
                    "area_mm2": { "type": "number", "exclusiveMinimum": 0, "maximum": 1e15, "description": "applicable die area: logic dies on a non-planar process" },
                    "non_planar": { "type": "boolean" },
                    "package_area_mm2": { "type": "number", "exclusiveMinimum": 0, "maximum": 1e15 }
                }
            },
            "io": {
                "type": "object", "additionalProperties": false,
                "properties": {
                    "interconnect_gbps": figure("aggregate bidirectional chip-to-chip transfer rate, GB/s"),
                    "memory_bandwidth_gbps": figure("total DRAM/HBM bandwidth, GB/s")
                }
            },
            "source": {
                "type": "array",
                "items": {
                    "type": "object", "additionalProperties": false, "required": ["fields", "url", "kind"],
                    "properties": {
                        "fields": { "type": "array", "items": { "type": "string" } },
                        "url": { "type": "string" },
                        "kind": { "enum": ["datasheet", "derived", "secondary", "filing"] },
                        "note": { "type": "string" }
                    }
                }
            },
            "contains": {
                "type": "array",
                "items": {
                    "type": "object", "additionalProperties": false, "required": ["count"],
                    "properties": {
                        "count": { "type": "integer", "minimum": 1 },
                        "chip": { "type": "string", "description": "a library chip name or alias" },
                        "spec": { "$ref": "#" }
                    }
                }
            }
        }
    })
}
