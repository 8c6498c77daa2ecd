import CurateTestSupport
import Detect
import Foundation
import Testing

/// Checks our decoder against Pillow, an independent one: `scripts/make-image-fixtures.py` stores what Pillow
/// decodes from each good fixture (after EXIF orientation, alpha over white) in `reference.json`.
@Suite struct PillowReferenceTests {
    @Test("there is a Pillow reference for every good fixture")
    func coversFixtures() throws {
        let references = try ImageFixtures.references()
        #expect(references.count >= 28)
        #expect(references.values.filter(\.lossless).count >= 10)
    }

    @Test(
        "decodes like Pillow: same size and channels, equal means; lossless files pixel for pixel",
        arguments: ImageFixtures.referenceNames)
    func matchesPillow(name: String) throws {
        let reference = try #require(ImageFixtures.references()[name])
        let image = try ImageFixtures.decode(name)
        #expect(image.width == reference.width && image.height == reference.height)
        #expect(image.pixels.channels == reference.channels)
        let means = image.pixels.channelMeans
        // Pillow bundles newer libjpeg-turbo and libwebp than Debian 12; on this machine even the lossy files decode
        // bit-identically, but a lossy decoder may change its rounding between versions, so those get a margin.
        let tolerance = reference.lossless ? 0.0001 : 0.25
        for (ours, theirs) in zip(means, reference.mean) {
            #expect(abs(ours - theirs) <= tolerance, "\(name): \(means) vs Pillow \(reference.mean)")
        }
        if reference.lossless {
            #expect(image.pixels.fnv1a64 == reference.fnv1a64, "\(name)")
        }
    }

    @Test(
        "DCT-scaled JPEG decodes match Pillow's draft mode",
        arguments: ["jpeg-rgb.jpg", "jpeg-progressive.jpg", "jpeg-gray.jpg", "jpeg-cmyk.jpg", "orientation-6.jpg"])
    func matchesPillowDraftMode(name: String) throws {
        let reference = try #require(ImageFixtures.scaledReferences()[name])
        let full = try ImageFixtures.decode(name)
        let image = try ImageFixtures.decode(name, options: DecodeOptions(minimumSide: reference.minimumSide))
        #expect(image.width == full.width && image.height == full.height)
        #expect(image.pixels.width == reference.width && image.pixels.height == reference.height)
        #expect(image.pixels.channels == reference.channels)
        for (ours, theirs) in zip(image.pixels.channelMeans, reference.mean) {
            #expect(abs(ours - theirs) <= 0.25, "\(name): \(image.pixels.channelMeans) vs Pillow \(reference.mean)")
        }
    }
}
