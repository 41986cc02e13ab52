extension ModelSpec {
    /// The Hugging Face checkpoint the shapes come from: the repository that ``source`` names
    /// (`meta-llama/Llama-3.1-8B-Instruct` for `"meta-llama/Llama-3.1-8B-Instruct config.json"`),
    /// or ``name`` when the source names none.
    public var checkpoint: String {
        let first = source.split(separator: " ").first.map(String.init) ?? ""
        return first.contains("/") ? first : name
    }
}
