//! A small RGB canvas: rectangles, lines, dots and bitmap text, encoded as PNG.

use super::font::glyph;

pub type Rgb = [u8; 3];

/// Pixels in rows, top to bottom.
pub struct Canvas {
    width: u32,
    height: u32,
    pixels: Vec<u8>,
}

impl Canvas {
    pub fn new(width: u32, height: u32, background: Rgb) -> Canvas {
        let pixels = background
            .iter()
            .copied()
            .cycle()
            .take((width * height * 3) as usize)
            .collect();
        Canvas {
            width,
            height,
            pixels,
        }
    }

    pub fn width(&self) -> u32 {
        self.width
    }

    pub fn height(&self) -> u32 {
        self.height
    }

    /// Sets one pixel; outside the canvas nothing happens.
    pub fn put(&mut self, x: i64, y: i64, color: Rgb) {
        if x < 0 || y < 0 || x >= i64::from(self.width) || y >= i64::from(self.height) {
            return;
        }
        let at = ((y as u32 * self.width + x as u32) * 3) as usize;
        self.pixels[at..at + 3].copy_from_slice(&color);
    }

    pub fn fill_rect(&mut self, x: i64, y: i64, w: u32, h: u32, color: Rgb) {
        for dy in 0..i64::from(h) {
            for dx in 0..i64::from(w) {
                self.put(x + dx, y + dy, color);
            }
        }
    }

    /// A rectangle outline `thickness` pixels wide, inside the given bounds.
    pub fn stroke_rect(&mut self, x: i64, y: i64, w: u32, h: u32, thickness: u32, color: Rgb) {
        let t = i64::from(thickness);
        let (w64, h64) = (i64::from(w), i64::from(h));
        self.fill_rect(x, y, w, thickness, color);
        self.fill_rect(x, y + h64 - t, w, thickness, color);
        self.fill_rect(x, y, thickness, h, color);
        self.fill_rect(x + w64 - t, y, thickness, h, color);
    }

    /// A filled disc.
    pub fn disc(&mut self, cx: i64, cy: i64, r: i64, color: Rgb) {
        for dy in -r..=r {
            for dx in -r..=r {
                if dx * dx + dy * dy <= r * r {
                    self.put(cx + dx, cy + dy, color);
                }
            }
        }
    }

    /// A thick diagonal cross (the slip mark: a shape, not only a colour).
    pub fn cross(&mut self, x: i64, y: i64, size: i64, thickness: i64, color: Rgb) {
        for i in 0..size {
            for t in 0..thickness {
                self.put(x + i + t, y + i, color);
                self.put(x + size - 1 - i + t, y + i, color);
            }
        }
    }

    /// Draws `text` with its top-left corner at (x, y), each font pixel `scale` wide.
    pub fn text(&mut self, x: i64, y: i64, text: &str, scale: u32, color: Rgb) {
        let s = i64::from(scale);
        for (i, c) in text.chars().enumerate() {
            let left = x + i as i64 * 6 * s;
            for (row, bits) in glyph(c).iter().enumerate() {
                for col in 0..5 {
                    if bits & (0x10 >> col) != 0 {
                        self.fill_rect(left + col * s, y + row as i64 * s, scale, scale, color);
                    }
                }
            }
        }
    }

    /// How many pixels have exactly this colour (for tests of what was drawn).
    pub fn count(&self, color: Rgb) -> usize {
        self.pixels.chunks_exact(3).filter(|p| *p == color).count()
    }

    /// The canvas as a PNG file.
    pub fn to_png(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, self.width, self.height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::High);
        // Writing to a Vec cannot fail; an empty result would show as a broken picture.
        if let Ok(mut writer) = encoder.write_header() {
            let _ = writer.write_image_data(&self.pixels);
        }
        out
    }
}
