import ArgumentParser
import Curate
import Detect
import Foundation

struct IndexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Work with feature indexes.",
        subcommands: [Merge.self]
    )

    struct Merge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge indexes built per shard (scan --shard I/N) into one.",
            discussion: """
                Copies every image and file entry of each SOURCE into the index named by --index. An image both \
                hold keeps the newer feature encoding. Sources are only read.

                Example:
                  curate scan data/train.jsonl --shard 0/2 --index part0.sqlite   # on machine A
                  curate scan data/train.jsonl --shard 1/2 --index part1.sqlite   # on machine B
                  curate index merge part0.sqlite part1.sqlite --index .curate/index.sqlite
                """
        )

        @Argument(help: "Index files to copy from.")
        var sources: [String]
        @Option(help: "The index to merge into (created if missing).")
        var index: String
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if sources.isEmpty { throw ValidationError("name at least one index file to merge from") }
            try InputOptions.checkIndexPath(index)
        }

        func run() async throws {
            let terminal = Terminal(quiet: output.quiet)
            // Refuse every bad source before the destination is created or changed.
            for source in sources {
                do {
                    try FeatureIndex.checkIsIndex(source)
                } catch {
                    throw CommandFailure.usage("\(error); name index files written by `curate scan --index`")
                }
            }
            let destination = try FeatureIndex(path: index)
            var total = IndexMergeCounts()
            for source in sources {
                let counts: IndexMergeCounts
                do {
                    counts = try destination.merge(from: source)
                } catch let error as IndexMergeError {
                    throw CommandFailure.usage("\(error)")
                }
                total.imagesAdded += counts.imagesAdded
                total.imagesUpdated += counts.imagesUpdated
                total.files += counts.files
                terminal.info("\(source): \(counts.imagesAdded) images added, \(counts.imagesUpdated) updated, \(counts.files) file stamps")
            }
            let images = try destination.imageCount()
            if output.json {
                print(try JSONText.object([
                    "images_added": total.imagesAdded, "images_updated": total.imagesUpdated, "files": total.files,
                    "images": images, "index": index,
                ]))
            }
            terminal.info("\(index): \(images) images")
        }
    }
}
