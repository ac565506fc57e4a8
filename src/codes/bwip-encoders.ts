// The two encoders and the SVG drawing of bwip-js this Worker uses, named so the bundler keeps only
// them (bwip-js holds a hundred symbologies) and so draw-code.ts can load them lazily.
export { datamatrix, drawingSVG, qrcode } from 'bwip-js/node';
