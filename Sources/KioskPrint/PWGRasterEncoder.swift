import CCups

/// Encodes a raster as a one-page PWG raster document (`image/pwg-raster`, `black_1`) with libcups'
/// raster API, in memory.
public enum PWGRasterEncoder {
    /// `dpi`: the printer's resolution (203 for 576/384-dot heads, 180 for 512).
    public static func encode(_ raster: Raster, dpi: Int) throws(PrintError) -> [UInt8] {
        final class Sink { var bytes: [UInt8] = [] }
        let sink = Sink()
        let context = Unmanaged.passUnretained(sink).toOpaque()
        let write: cups_raster_iocb_t = { ctx, buffer, length in
            guard let ctx, let buffer else { return -1 }
            Unmanaged<Sink>.fromOpaque(ctx).takeUnretainedValue().bytes.append(contentsOf: UnsafeBufferPointer(start: buffer, count: length))
            return length
        }
        guard let stream = cupsRasterOpenIO(write, context, CUPS_RASTER_WRITE_PWG) else {
            throw PrintError(.encoding, "PWG raster: cupsRasterOpenIO failed: \(String(cString: cupsRasterErrorString()))")
        }
        var open = true
        defer { if open { cupsRasterClose(stream) } }
        // Page size in hundredths of a millimetre, from the dots.
        let width100mm = Int32((Double(raster.width) / Double(dpi) * 2540).rounded())
        let length100mm = Int32((Double(raster.height) / Double(dpi) * 2540).rounded())
        var header = cups_page_header2_t()
        guard let media = pwgMediaForSize(width100mm, length100mm),
              cupsRasterInitPWGHeader(&header, media, "black_1", Int32(dpi), Int32(dpi), "one-sided", nil) != 0 else {
            throw PrintError(.encoding, "PWG raster: cannot make a header for \(raster.width)×\(raster.height) dots at \(dpi) dpi: "
                + String(cString: cupsRasterErrorString()))
        }
        header.cupsWidth = UInt32(raster.width)
        header.cupsHeight = UInt32(raster.height)
        header.cupsBytesPerLine = UInt32((raster.width + 7) / 8)
        header.PageSize = (UInt32((Double(raster.width) * 72 / Double(dpi)).rounded()),
                           UInt32((Double(raster.height) * 72 / Double(dpi)).rounded()))
        header.cupsInteger.0 = 1 // TotalPageCount
        guard cupsRasterWriteHeader2(stream, &header) != 0 else {
            throw PrintError(.encoding, "PWG raster: cannot write the header: \(String(cString: cupsRasterErrorString()))")
        }
        var rows = raster.packedRows()
        let count = rows.count
        let written = rows.withUnsafeMutableBufferPointer { cupsRasterWritePixels(stream, $0.baseAddress, UInt32(count)) }
        guard written == UInt32(count) else {
            throw PrintError(.encoding, "PWG raster: wrote \(written) of \(count) bytes: \(String(cString: cupsRasterErrorString()))")
        }
        cupsRasterClose(stream)
        open = false
        return sink.bytes
    }
}
