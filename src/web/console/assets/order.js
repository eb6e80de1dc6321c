// Order page: a model file chosen here is read into the model textarea (the server gets JSON).
/* global document */
const input = document.getElementById('model-file');
const textarea = document.getElementById('model');
if (input && textarea) {
  input.hidden = false;
  input.addEventListener('change', async () => {
    const file = input.files && input.files[0];
    if (file) textarea.value = await file.text();
  });
}
