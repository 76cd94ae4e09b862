//! Documents for the readers' tests and benchmarks: the sandbox's sample
//! files, and PDFs made object by object.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

/// The bytes of the sandbox's sample file `name` (`assets/sandbox/files`).
pub fn sample(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("assets/sandbox/files")
            .join(name),
    )
    .unwrap()
}

/// A PDF of `objects` (object n is `objects[n - 1]`, object 1 the catalog),
/// with a correct xref.
pub fn pdf_of(objects: &[Vec<u8>]) -> Vec<u8> {
    pdf_with_trailer(objects, |_| String::new())
}

/// [`pdf_of`] whose trailer names its own xref as the previous one: an xref
/// chain that loops.
pub fn pdf_whose_xref_loops(objects: &[Vec<u8>]) -> Vec<u8> {
    pdf_with_trailer(objects, |xref| format!(" /Prev {xref}"))
}

/// A PDF of `objects` whose trailer adds `more(xref)` (given the xref's offset).
fn pdf_with_trailer(objects: &[Vec<u8>], more: impl Fn(usize) -> String) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R{} >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1,
            more(xref)
        )
        .as_bytes(),
    );
    out
}

/// A PNG header that claims `width` × `height` pixels (a picture bomb).
pub fn claimed_png(width: u32, height: u32) -> Vec<u8> {
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        let mut out = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32(&body).to_be_bytes());
        out
    };
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &ihdr));
    let mut idat = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut idat, &[0u8; 4096]).unwrap();
    png.extend(chunk(b"IDAT", &idat.finish().unwrap()));
    png.extend(chunk(b"IEND", &[]));
    png
}

/// The CRC-32 of `data`, as PNG chunks carry it.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
