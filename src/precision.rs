//! Numeric precisions and the bit length each one counts for in TPP.
//!
//! TPP = 2 x MacTOPS x bit length. The bit length comes from the precision's
//! name. TF32 is the one name whose length is not obvious: its operands carry
//! a 19-bit value (1 sign, 8 exponent, 10 mantissa bits) but are held in
//! 32-bit registers and formats. chipcheck counts TF32 as **32 bits**. The
//! rule's technical note speaks of the bit length of the operation's inputs;
//! 32 is the length of the operands as stored, and it is the reading that can
//! never understate TPP (19 bits would lower it). On most GPUs the TF32 rate
//! is half the FP16 rate, so 32 bits reproduces the FP16 TPP and the choice
//! changes nothing; where a vendor quotes TF32 at the 16-bit rate (AWS
//! Trainium), it decides TPP, and the explanation says so. Where the 19-bit
//! reading would change the verdict or review policy, the outcome carries
//! `tf32_reading_matters` with both TPP figures (engine::evaluate).

use serde::Serialize;
use std::fmt;

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Fp64,
    Fp32,
    Tf32,
    Fp16,
    Bf16,
    Fp8,
    Fp6,
    Fp4,
    Int32,
    Int16,
    Int8,
    Int4,
}

impl Precision {
    pub const ALL: [Precision; 12] = [
        Precision::Fp64,
        Precision::Fp32,
        Precision::Tf32,
        Precision::Fp16,
        Precision::Bf16,
        Precision::Fp8,
        Precision::Fp6,
        Precision::Fp4,
        Precision::Int32,
        Precision::Int16,
        Precision::Int8,
        Precision::Int4,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Precision::Fp64 => "fp64",
            Precision::Fp32 => "fp32",
            Precision::Tf32 => "tf32",
            Precision::Fp16 => "fp16",
            Precision::Bf16 => "bf16",
            Precision::Fp8 => "fp8",
            Precision::Fp6 => "fp6",
            Precision::Fp4 => "fp4",
            Precision::Int32 => "int32",
            Precision::Int16 => "int16",
            Precision::Int8 => "int8",
            Precision::Int4 => "int4",
        }
    }

    pub fn bits(self) -> u32 {
        match self {
            Precision::Fp64 => 64,
            Precision::Fp32 | Precision::Tf32 | Precision::Int32 => 32,
            Precision::Fp16 | Precision::Bf16 | Precision::Int16 => 16,
            Precision::Fp8 | Precision::Int8 => 8,
            Precision::Fp6 => 6,
            Precision::Fp4 | Precision::Int4 => 4,
        }
    }

    /// Floating-point figures are quoted in TFLOPS, integer ones in TOPS.
    pub fn unit(self) -> &'static str {
        match self {
            Precision::Int32 | Precision::Int16 | Precision::Int8 | Precision::Int4 => "TOPS",
            _ => "TFLOPS",
        }
    }

    pub fn from_name(name: &str) -> Option<Precision> {
        let lower = name.trim().to_ascii_lowercase();
        Precision::ALL.into_iter().find(|p| p.name() == lower)
    }

    pub fn names() -> Vec<&'static str> {
        Precision::ALL.iter().map(|p| p.name()).collect()
    }
}

impl fmt::Display for Precision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for p in Precision::ALL {
            assert_eq!(Precision::from_name(p.name()), Some(p));
            assert_eq!(Precision::from_name(&p.name().to_uppercase()), Some(p));
        }
        assert_eq!(Precision::from_name("fp17"), None);
    }

    #[test]
    fn bit_lengths_follow_the_name() {
        assert_eq!(Precision::Fp64.bits(), 64);
        assert_eq!(Precision::Tf32.bits(), 32);
        assert_eq!(Precision::Bf16.bits(), 16);
        assert_eq!(Precision::Fp8.bits(), 8);
        assert_eq!(Precision::Fp6.bits(), 6);
        assert_eq!(Precision::Int4.bits(), 4);
    }
}
