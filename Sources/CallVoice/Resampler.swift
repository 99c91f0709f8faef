/// Converts mono samples from one rate to another (a hall's recordings at 44.1 or 48 kHz into the pack's 22.05 kHz):
/// linear interpolation, after a moving average over the rate ratio when going down so high tones do not fold back.
/// Plenty for speech and a chime.
public enum Resampler {
    public static func resample(_ samples: [Int16], from source: Int, to target: Int) -> [Int16] {
        guard source != target, !samples.isEmpty else { return samples }
        var input = samples.map(Double.init)
        let ratio = Double(source) / Double(target)
        let window = Int(ratio.rounded(.down))
        if window >= 2 {
            var smoothed = [Double](repeating: 0, count: input.count)
            var sum = 0.0
            for i in 0..<input.count {
                sum += input[i]
                if i >= window { sum -= input[i - window] }
                smoothed[i] = sum / Double(min(i + 1, window))
            }
            input = smoothed
        }
        let count = max(1, Int((Double(samples.count) / ratio).rounded()))
        var out = [Int16](repeating: 0, count: count)
        for i in 0..<count {
            let position = Double(i) * ratio
            let left = min(Int(position), input.count - 1)
            let right = min(left + 1, input.count - 1)
            let fraction = position - Double(left)
            let value = input[left] * (1 - fraction) + input[right] * fraction
            out[i] = Int16(max(-32_768, min(32_767, value.rounded())))
        }
        return out
    }
}
