const LAST_WORKSPACE = 'airlock.lastWorkspace';

// localStorage can throw (disabled storage, quota); remembering the folder is only a convenience.
export function getLastWorkspace(): string {
  try {
    return localStorage.getItem(LAST_WORKSPACE) ?? '';
  } catch {
    return '';
  }
}

export function setLastWorkspace(path: string): void {
  try {
    localStorage.setItem(LAST_WORKSPACE, path);
  } catch {
    // ignored: see above
  }
}
