import ArgumentParser

@main
struct TangramSimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tangram-sim")
    func run() throws {}
}
