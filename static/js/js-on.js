// Runs before the first paint (a blocking script in <head>): the phone header collapses behind its buttons only
// when the script that opens them can run.
document.documentElement.classList.replace("no-js", "js");
