// The data directory holds what must stay private (the SQLite database with its hashes, emails and
// kept answers; stored scans and floor plans): the server creates its directories and files for its
// own user only, whatever the process umask. Existing ones keep the modes they have.
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
