fn main() -> std::process::ExitCode {
    ferry_cli::run()
}
