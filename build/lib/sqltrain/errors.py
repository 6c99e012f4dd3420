"""One family of user-facing errors, each with an exit code (docs/architecture.md).

The CLI catches ``SqltrainError`` at the top and prints ``str(error)`` as one line;
tracebacks are reserved for bugs (or ``--debug``).
"""


class SqltrainError(Exception):
    """A problem the user can fix. ``hint`` says what to do next."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} — {self.hint}" if self.hint else self.message


class UsageError(SqltrainError):
    """Bad arguments or bad input (exit 2)."""

    exit_code = 2


class BuildError(SqltrainError):
    """dbt could not build the model (exit 1): a compile error, a failing test, a database error."""

    exit_code = 1


class GateFailed(SqltrainError):
    """A gate (leakage check, quality gate) refused the training set (exit 1); nothing was exported.

    ``results`` carries every gate's result so the CLI can print what failed where.
    """

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None, results: list | None = None):
        super().__init__(message, hint)
        self.results = results or []


class DiskFull(SqltrainError):
    """The disk filled up while sqltrain wrote (exit 1); whatever the run had written was removed."""

    exit_code = 1


class WarehouseLocked(SqltrainError):
    """Another process holds the warehouse ``file`` (exit 1): nothing is wrong with the input, try again later."""

    exit_code = 1

    def __init__(self, file: str, pid: int, hint: str | None = None):
        super().__init__(f"the warehouse {file} is locked by another process (PID {pid})", hint)
        self.file = file
        self.pid = pid
