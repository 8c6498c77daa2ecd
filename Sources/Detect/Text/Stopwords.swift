/// The built-in English stopword list used by ``CaptionTerms``.
///
/// Function words, pronouns, auxiliaries, their apostrophe-less contractions (except those that
/// spell a content word: "shell", "well", "ill", "shed"), and a few words that
/// carry no content in web captions ("image", "photo" stay: they are content for template captions).
public enum Stopwords {
    /// The words, already in normalized form (lowercase ASCII, no apostrophes).
    public static let english: [String] = [
        "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are", "arent",
        "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by",
        "can", "cannot", "cant", "could", "couldnt", "did", "didnt", "do", "does", "doesnt", "doing", "dont",
        "down", "during", "each", "few", "for", "from", "further", "had", "hadnt", "has", "hasnt", "have",
        "havent", "having", "he", "her", "here", "heres", "hers", "herself", "hes", "him",
        "himself", "his", "how", "hows", "i", "if", "im", "in", "into", "is", "isnt", "it",
        "its", "itself", "ive", "lets", "me", "more", "most", "mustnt", "my", "myself", "no", "nor", "not",
        "of", "off", "on", "once", "only", "or", "other", "ought", "our", "ours", "ourselves", "out", "over",
        "own", "same", "shant", "she", "shes", "should", "shouldnt", "so", "some", "such",
        "than", "that", "thats", "the", "their", "theirs", "them", "themselves", "then", "there", "theres",
        "these", "they", "theyd", "theyll", "theyre", "theyve", "this", "those", "through", "to", "too",
        "under", "until", "up", "very", "was", "wasnt", "we", "were", "weve", "werent", "what",
        "whats", "when", "whens", "where", "wheres", "which", "while", "who", "whos", "whom", "why", "whys",
        "will", "with", "wont", "would", "wouldnt", "you", "youd", "youll", "your", "youre", "yours",
        "yourself", "yourselves", "youve", "also", "just", "via", "per", "s", "t",
    ]
}
