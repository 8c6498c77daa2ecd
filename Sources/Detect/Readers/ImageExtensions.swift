/// The file-name extensions that mark an image, lower-case, in one place so every reader agrees on them.
///
/// Names only say "this is an image"; the decoder tells the format from the bytes (a PNG named `.jpg` is a PNG).
/// `.jpe` and `.jfif` are JPEG's other registered extensions (browsers save photos as `.jfif`).
public enum ImageExtensions {
    /// Extensions of the formats the decoder reads: JPEG, PNG, WebP.
    public static let decoded: Set<String> = ["jpg", "jpeg", "jpe", "jfif", "png", "webp"]
    /// Extensions of images that are read as samples but not decoded (their image is an `unsupportedFormat`
    /// problem, not a file skipped without a word).
    public static let undecoded: Set<String> = ["gif", "bmp", "tif", "tiff"]
    /// How a message names ``decoded`` to a user.
    public static let decodedList = ".jpg, .jpeg, .jpe, .jfif, .png or .webp"
}
