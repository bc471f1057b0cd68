/* The party's signature: drawn with a finger (pointer events) on a canvas, kept as a PNG data URL. */

export function signaturePad(canvas, clearButton) {
  const context = canvas.getContext("2d");
  let drawing = false;
  let strokes = 0;
  let last = null;

  function point(event) {
    const box = canvas.getBoundingClientRect();
    return { x: (event.clientX - box.left) * (canvas.width / box.width),
      y: (event.clientY - box.top) * (canvas.height / box.height) };
  }

  function reset(dataUrl) {
    const box = canvas.getBoundingClientRect();
    canvas.width = Math.max(1, Math.round(box.width || 300));
    canvas.height = Math.max(1, Math.round(box.height || 160));
    context.fillStyle = "#fff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.lineWidth = 2.5;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.strokeStyle = "#111";
    strokes = 0;
    if (dataUrl) {
      const image = new Image();
      image.onload = () => context.drawImage(image, 0, 0, canvas.width, canvas.height);
      image.src = dataUrl;
      strokes = 3; // a signature kept from before counts as signed
    }
  }

  canvas.addEventListener("pointerdown", (event) => {
    drawing = true;
    last = point(event);
    canvas.setPointerCapture(event.pointerId);
    event.preventDefault();
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!drawing) return;
    const next = point(event);
    context.beginPath();
    context.moveTo(last.x, last.y);
    context.lineTo(next.x, next.y);
    context.stroke();
    last = next;
    strokes += 1;
    event.preventDefault();
  });
  const stop = () => { drawing = false; };
  canvas.addEventListener("pointerup", stop);
  canvas.addEventListener("pointercancel", stop);
  clearButton.addEventListener("click", () => reset(""));

  return {
    reset,
    signed: () => strokes > 2,
    png: () => canvas.toDataURL("image/png"),
  };
}
