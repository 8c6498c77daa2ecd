extension DatasetInput {
    /// Checks that a manifest names its images: reads it up to its first sample with an image field (the first row,
    /// in a usable manifest), so a header spelt otherwise than the aliases stops the run at once instead of giving a
    /// `missingField` problem on every row. Folders without metadata and webdataset shards always name their images.
    /// An input with no sample, or one that cannot be read, passes: the run reports it as it reads it.
    /// - Throws: `DatasetInputError` when the input has samples and not one has an image field, naming the fields it
    ///   has and `--image-field`.
    public func checkImageField(fields: FieldNames) throws(DatasetInputError) {
        switch kind {
        case .jsonl, .csv, .tsv: break
        case .folder where FolderReader.hasMetadata(path): break
        case .folder, .webdataset: return
        }
        guard var reader = try? DatasetReader.reader(for: self, fields: fields, readsImageBytes: false) else { return }
        var names = FieldNameList()
        var samples = 0
        while let item = try? reader.next() {
            guard case .sample(let sample, _) = item else { continue }
            if !fields.imageCandidates(in: sample.record).isEmpty { return }
            samples += 1
            names.add(sample.record)
        }
        guard samples > 0 else { return }
        let shown = names.names.prefix(12).map { "\"\($0)\"" }.joined(separator: ", ")
        let more = names.names.count > 12 ? " and \(names.names.count - 12) more" : ""
        let what = kind == .jsonl ? "fields" : "columns"
        let has = names.names.isEmpty ? "its rows have no \(what)" : "its \(what) are \(shown)\(more)"
        let rows = samples == 1 ? "its one row has no image field" : "none of its \(samples) rows has an image field"
        throw DatasetInputError(
            path: path,
            "\(rows) (looked for \(fields.lookedForImage)); \(has). Name the one that holds the image paths with"
                + " --image-field NAME")
    }
}
