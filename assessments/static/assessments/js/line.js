// One request at a time from the form (answers first, then files): a weak connection is not shared between
// competing requests, and the server sees the officer's changes in the order they were made.
export function createLine() {
  return {
    saving: false,     // an autosave request is out
    uploading: false,  // a file is being sent
    afterSave: () => {},
    afterUpload: () => {},
  };
}
