// Orbiting the mesh view by hand (no drei): one-finger or mouse drag turns the camera around
// the hub, a pinch or the wheel zooms, and the view turns slowly by itself after a few idle
// seconds unless the visitor asked for reduced motion.
'use client';
import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useRef, type RefObject } from 'react';

export interface OrbitState {
  /** Radians around the vertical axis. */
  azimuth: number;
  /** Radians above the horizontal plane. */
  elevation: number;
  /** Multiplies the distance that frames the layout (smaller is closer). */
  zoom: number;
  /** Distance from the hub to the layout's farthest edge (set by the scene every frame). */
  extent: number;
  dragging: boolean;
  /** performance.now() of the last drag, pinch or wheel. */
  lastInteraction: number;
}

const RADIANS_PER_PIXEL = 0.008;
const MAX_ELEVATION = 1.3;
const MIN_ZOOM = 0.35;
const MAX_ZOOM = 2.5;
const AUTO_ROTATE_SPEED = 0.15;
const IDLE_BEFORE_AUTO_ROTATE_MS = 2_500;

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

export function useOrbit(reducedMotion: boolean): RefObject<OrbitState> {
  const { gl } = useThree();
  const orbit = useRef<OrbitState>({ azimuth: 0.6, elevation: 0.35, zoom: 1, extent: 5, dragging: false, lastInteraction: Number.NEGATIVE_INFINITY });

  useEffect(() => {
    const element = gl.domElement;
    const pointers = new Map<number, { x: number; y: number }>();
    let pinchDistance = 0;
    const spread = () => {
      const [first, second] = [...pointers.values()];
      return first && second ? Math.hypot(first.x - second.x, first.y - second.y) : 0;
    };

    const onDown = (event: PointerEvent) => {
      if (event.pointerType === 'mouse' && event.button !== 0) return;
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      pinchDistance = spread();
      orbit.current.dragging = true;
      orbit.current.lastInteraction = performance.now();
    };
    const onMove = (event: PointerEvent) => {
      const previous = pointers.get(event.pointerId);
      if (!previous) return;
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      const state = orbit.current;
      if (pointers.size === 1) {
        state.azimuth -= (event.clientX - previous.x) * RADIANS_PER_PIXEL;
        state.elevation = clamp(state.elevation + (event.clientY - previous.y) * RADIANS_PER_PIXEL, -MAX_ELEVATION, MAX_ELEVATION);
      } else {
        const distance = spread();
        if (pinchDistance > 0 && distance > 0) state.zoom = clamp((state.zoom * pinchDistance) / distance, MIN_ZOOM, MAX_ZOOM);
        pinchDistance = distance;
      }
      state.lastInteraction = performance.now();
    };
    const onUp = (event: PointerEvent) => {
      pointers.delete(event.pointerId);
      pinchDistance = spread();
      orbit.current.dragging = pointers.size > 0;
    };
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      orbit.current.zoom = clamp(orbit.current.zoom * Math.exp(event.deltaY * 0.001), MIN_ZOOM, MAX_ZOOM);
      orbit.current.lastInteraction = performance.now();
    };

    element.addEventListener('pointerdown', onDown);
    // Moves and releases are followed on the window, so a drag that leaves the canvas still ends.
    window.addEventListener('pointermove', onMove);
    window.addEventListener('pointerup', onUp);
    window.addEventListener('pointercancel', onUp);
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => {
      element.removeEventListener('pointerdown', onDown);
      window.removeEventListener('pointermove', onMove);
      window.removeEventListener('pointerup', onUp);
      window.removeEventListener('pointercancel', onUp);
      element.removeEventListener('wheel', onWheel);
    };
  }, [gl]);

  useFrame((_, delta) => {
    const state = orbit.current;
    if (reducedMotion || state.dragging || performance.now() - state.lastInteraction < IDLE_BEFORE_AUTO_ROTATE_MS) return;
    state.azimuth += delta * AUTO_ROTATE_SPEED;
  });

  return orbit;
}
