// The few things Blazor cannot do without script: keep a followed log scrolled to its end.
window.modelswapDashboard = {
  scrollToEnd: (element) => { if (element) { element.scrollTop = element.scrollHeight; } },
};
