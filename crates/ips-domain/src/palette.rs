//! The colours of the quality bands, defined once for the app and the PDF: the best band
//! green, then teal, amber and red for the worst, with a scale of another number of bands
//! spread over the same ramp. The app draws the strong tone; paper the light one, so that
//! text on it stays readable in print.

/// One band's colours as RGB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BandTone {
    /// For chips and lines on screen.
    pub strong: [u8; 3],
    /// For shading on paper.
    pub light: [u8; 3],
}

const RAMP: [BandTone; 4] = [
    BandTone { strong: [46, 125, 50], light: [200, 230, 201] },
    BandTone { strong: [0, 131, 143], light: [178, 223, 219] },
    BandTone { strong: [230, 145, 0], light: [255, 236, 179] },
    BandTone { strong: [198, 40, 40], light: [255, 205, 210] },
];

/// The tone of the band at `rank` (0 = best) of a scale with `count` bands.
pub fn band_tone(rank: usize, count: usize) -> BandTone {
    let pos = if count <= 1 { 0 } else { rank * (RAMP.len() - 1) / (count - 1) };
    RAMP[pos.min(RAMP.len() - 1)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_best_band_is_green_and_the_worst_red_whatever_the_count() {
        for count in 2..=7 {
            assert_eq!(band_tone(0, count), RAMP[0], "{count} bands");
            assert_eq!(band_tone(count - 1, count), RAMP[3], "{count} bands");
        }
        assert_eq!(band_tone(0, 1), RAMP[0]);
        assert_eq!(band_tone(1, 4), RAMP[1]);
    }
}
