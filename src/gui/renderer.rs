//! Which renderer paints the window, and in which order they are tried.
//!
//! wgpu comes first: on Windows it draws through Direct3D 12 and, where there is no GPU
//! driver (Remote Desktop, Citrix without a GPU, a virtual machine), through WARP, Windows'
//! own software rasterizer, where OpenGL offers only version 1.1 and glow cannot start
//! (egui #2573); on macOS through Metal; on Linux through Vulkan or OpenGL ES. glow
//! (OpenGL 2+) is tried when wgpu finds no adapter, since some older drivers have OpenGL
//! but neither Vulkan nor Direct3D 12. `IPS_FIDELITY_RENDERER=wgpu|glow` forces one and
//! turns the fallback off, so that support can rule one out.

use ips_text::i18n::Msg;
use ips_text::msg;

/// The environment variable that forces a renderer.
pub const RENDERER_VAR: &str = "IPS_FIDELITY_RENDERER";

/// The renderers to try, in order, for the value of [`RENDERER_VAR`] (`None` when unset).
/// An empty value means unset; anything but `wgpu` or `glow` is refused with a message.
pub fn renderers_to_try(forced: Option<&str>) -> Result<Vec<eframe::Renderer>, Msg> {
    match forced.map(str::trim).map(str::to_ascii_lowercase).as_deref() {
        None | Some("") => Ok(vec![eframe::Renderer::Wgpu, eframe::Renderer::Glow]),
        Some("wgpu") => Ok(vec![eframe::Renderer::Wgpu]),
        Some("glow") => Ok(vec![eframe::Renderer::Glow]),
        Some(_) => Err(msg!("app.renderer_unknown", var = RENDERER_VAR, value = forced.unwrap_or_default().trim())),
    }
}

/// What painted the first frame, for the start-up line: the renderer and, for wgpu, the
/// graphics API and adapter it chose (`wgpu, Vulkan llvmpipe`).
pub fn describe(frame: &eframe::Frame) -> String {
    match frame.wgpu_render_state() {
        Some(state) => {
            let info = state.adapter.get_info();
            format!("wgpu, {:?} {}", info.backend, info.name)
        }
        None if frame.gl().is_some() => "glow".to_string(),
        None => "unknown".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wgpu_first_then_glow_unless_one_is_forced() {
        use eframe::Renderer::{Glow, Wgpu};
        assert_eq!(renderers_to_try(None).ok(), Some(vec![Wgpu, Glow]));
        assert_eq!(renderers_to_try(Some("")).ok(), Some(vec![Wgpu, Glow]));
        assert_eq!(renderers_to_try(Some(" WGPU ")).ok(), Some(vec![Wgpu]));
        assert_eq!(renderers_to_try(Some("glow")).ok(), Some(vec![Glow]));
        assert!(renderers_to_try(Some("auto")).is_err());
        let refused = renderers_to_try(Some("vulkan")).err().map(|m| m.text(ips_text::text::Lang::En));
        assert_eq!(
            refused.as_deref(),
            Some("IPS_FIDELITY_RENDERER=vulkan is not a renderer: use wgpu or glow, or leave it unset.")
        );
    }
}
